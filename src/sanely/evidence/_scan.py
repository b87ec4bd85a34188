"""The checks of every data row, written once in SQL and run by DuckDB in one streaming pass.

A file is opened as a `Source` (see `_sources`): a table DuckDB scans, its columns and
their types. `Checks` turns the spec's data dictionary into SQL: each row's value (and
exposure) parsed as a number, and the row's *kind*: usable, blank, missing a value or an
exposure, or holding text that is not a number. `grouped_query` reduces the file to one
row per unit, period, group, `data.where` columns and kind, with counts and sums; the key
cells are turned into text only per group, so the pass costs little more than reading the
file. `row_query` gives the same facts row by row, in file order, for the dirt report and
for statistics that need every row.

All SQL here is built from quoted identifiers (`quote`), string literals (`literal`) and
fixed text; file paths and user values are bound parameters.
"""
# ruff: noqa: S608

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._spec import Spec

# Row kinds (a TINYINT in SQL): which check a row fails first. The numbers read beside the
# value (`Checks.numbers`: weight, covariates, predictors) have two kinds each, from
# FIRST_NUMBER: missing_number(j) and bad_number(j); the spec allows at most 51 of them
# (MOST_COLUMNS covariates and a weight), so the kinds stay below 127.
OK, BLANK, MISSING_VALUE, MISSING_EXPOSURE, BAD_VALUE, BAD_EXPOSURE, BAD_BOTH = range(7)
FIRST_NUMBER = 7


def missing_number(index: int) -> int:
    """The kind of a row missing the `index`th number of `Checks.numbers`."""
    return FIRST_NUMBER + 2 * index


def bad_number(index: int) -> int:
    """The kind of a row whose `index`th number of `Checks.numbers` is not a number."""
    return FIRST_NUMBER + 2 * index + 1


TRUE_WORDS = ("1", "true", "yes", "y", "t")
FALSE_WORDS = ("0", "false", "no", "n", "f")
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
_THOUSANDS = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?"
# DuckDB's own budget; with Python and numpy the process stays under 512 MB.
MEMORY_LIMIT = "256MB"


def quote(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def text_list(values: Sequence[str]) -> str:
    """A SQL list of string literals, for IN (...)."""
    return "(" + ", ".join(literal(v) for v in values) + ")" if values else "(NULL)"


@dataclass(frozen=True)
class Source:
    """A data file as DuckDB scans it.

    `scan` is a table expression (read_csv(...), read_parquet(...) or a registered Arrow
    table); `serial_scan` the same without parallel reading (CSV, see `_sources`).
    `names` are the header's names in file order, `columns` their SQL identifiers and
    `types` their DuckDB types. `ordinal` is a SQL expression numbering rows in file
    order; `rows_of` turns those numbers into rows as numbered in the file.
    """

    label: str
    scan: str
    names: tuple[str, ...]
    columns: tuple[str, ...]
    types: tuple[str, ...]
    ordinal: str
    rows_of: Callable[[Sequence[int]], list[int]]
    params: dict[str, object] = field(default_factory=dict)
    arrow: dict[str, Any] = field(default_factory=dict)
    serial_scan: str = ""
    name: str = ""
    encoding: str = ""
    blank_rows: int = 0
    may_have_blank_rows: bool = False

    def column(self, name: str) -> tuple[str, str]:
        """The identifier and type of the first column called `name`."""
        index = self.names.index(name)
        return self.columns[index], self.types[index]


def text_of(column: str, kind: str) -> str:
    """A cell as text, as a person reads it: trimmed, whole numbers without '.0', '' for none."""
    if kind == "VARCHAR":
        return f"regexp_replace(coalesce({column}, ''), '^\\s+|\\s+$', '', 'g')"
    if kind.startswith(("FLOAT", "DOUBLE", "DECIMAL")):
        number = f"CAST({column} AS DOUBLE)"
        whole = f"isfinite({number}) AND {number} = trunc({number}) AND abs({number}) < 1e15"
        return (
            f"coalesce(CASE WHEN {whole} THEN CAST(CAST({number} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST({column} AS VARCHAR) END, '')"
        )
    if kind == "BOOLEAN":
        return f"coalesce(CASE WHEN {column} THEN 'true' ELSE 'false' END, '')"
    return f"coalesce(CAST({column} AS VARCHAR), '')"


def _lenient(column: str) -> str:
    """Text as spreadsheets export numbers: '1,234.5', '£3', ' 7 ', a minus sign for '-'."""
    trimmed = f"ltrim(regexp_replace({column}, '^\\s+|\\s+$', '', 'g'), '£$€')"
    cleaned = f"replace(replace({trimmed}, '\u2212', '-'), ' ', '')"
    plain = f"CASE WHEN regexp_full_match({cleaned}, '{_THOUSANDS}') "
    return f"TRY_CAST({plain}THEN replace({cleaned}, ',', '') ELSE {cleaned} END AS DOUBLE)"


def number_of(column: str, kind: str, flag: bool) -> str:
    """A cell as a number (NULL when it is not one); a flag also reads yes/no, true/false."""
    if kind == "VARCHAR":
        fast = f"TRY_CAST({column} AS DOUBLE)"
        slow = [_lenient(column)]
        if flag:
            word = f"lower(trim({column}))"
            slow.insert(
                0,
                f"CASE WHEN {word} IN {text_list(TRUE_WORDS)} THEN 1.0 "
                f"WHEN {word} IN {text_list(FALSE_WORDS)} THEN 0.0 END",
            )
        # CASE, unlike coalesce, leaves the slow forms to the cells the fast cast refused.
        return f"CASE WHEN {fast} IS NOT NULL THEN {fast} ELSE coalesce({', '.join(slow)}) END"
    if kind.startswith(_NUMERIC) or kind == "BOOLEAN":
        return f"CAST({column} AS DOUBLE)"
    return "CAST(NULL AS DOUBLE)"


def usable(number: str, flag: bool, weight: bool = False) -> str:
    """The number when the analysis can use it: finite, 0 or 1 for a flag, at least 0 for a
    weight; else NULL."""
    valid = f"isfinite({number})" + (f" AND {number} IN (0, 1)" if flag else "")
    valid += f" AND {number} >= 0" if weight else ""
    return f"CASE WHEN {valid} THEN {number} END"


def numbers_among(tokens: str) -> str:
    """A query counting the texts of the list parameter `tokens` that read as numbers."""
    number = usable(number_of("cell", "VARCHAR", False), False)
    return f"SELECT count(*) FROM unnest(${tokens}) AS t(cell) WHERE {number} IS NOT NULL"


@dataclass
class _NumberSql:
    """The SQL pieces of the numbers read beside the value (see `Checks._numbers`)."""

    raw: list[str] = field(default_factory=list)
    usable: list[str] = field(default_factory=list)
    fine: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Checks:
    """The spec's data dictionary as SQL over one source.

    `numeric_tokens` says whether a declared missing token reads as a number (say -99):
    then every row's text is compared with the tokens, not only rows that are not numbers.
    """

    source: Source
    spec: Spec
    numeric_tokens: bool = False

    @property
    def keys(self) -> list[str]:
        """Names of the key columns the design reads: unit, period, group (as declared)."""
        columns = self.spec.columns
        return [name for name in (columns.unit, columns.period, columns.group) if name]

    @property
    def exposure(self) -> str | None:
        """The exposure column, when the statistic divides by it."""
        rate = self.spec.metric.statistic in ("rate", "ratio")
        return self.spec.columns.exposure if rate else None

    @property
    def numbers(self) -> list[str]:
        """Numeric columns read beside the value: the weight and covariates, which a row
        must have, then a synthetic control's predictors, which it may lack (`required`)."""
        columns = self.spec.columns
        needed = ([columns.weight] if columns.weight else []) + list(columns.covariates)
        optional = [p.column for p in self.spec.predictors if p.column != columns.value]
        return list(dict.fromkeys(needed + optional))

    @property
    def required(self) -> int:
        """How many of `numbers` every used row must have (the first ones)."""
        columns = self.spec.columns
        return len(columns.covariates) + (1 if columns.weight else 0)

    def _named(self) -> list[str]:
        """Keys then data.where columns, each once."""
        return list(dict.fromkeys(self.keys + list(self.spec.data.where)))

    def _missing(self, name: str, number: str) -> str:
        """The cell's text is a declared missing token (data.missing)."""
        column, kind = self.source.column(name)
        check = f"{text_of(column, kind)} IN {text_list(self.spec.data.missing)}"
        return check if self.numeric_tokens else f"{number} IS NULL AND {check}"

    def _absent(self, name: str) -> str:
        """A predictor's cell holds no value: empty or a data.missing token."""
        text = text_of(*self.source.column(name))
        return f"({text} IN {text_list(self.spec.data.missing)} OR {text} = '')"

    def _numbers(self) -> "_NumberSql":
        """The SQL of `numbers`: each parsed (x0r...), as usable (x0...), the tests that
        settle a row as usable, and the kinds' WHEN clauses for missing and bad cells."""
        sql = _NumberSql()
        for index, name in enumerate(self.numbers):
            column, kind = self.source.column(name)
            number = f"x{index}"
            sql.raw.append(f"{number_of(column, kind, False)} AS {number}r")
            value = usable(f"{number}r", False, weight=name == self.spec.columns.weight)
            if index < self.required:
                missing = self._missing(name, number)
                sql.missing.append(f"WHEN {missing} THEN {missing_number(index)}")
                sql.bad.append(f"WHEN {number} IS NULL THEN {bad_number(index)}")
                sql.fine.append(f"{number} IS NOT NULL")
                sql.fine += [f"NOT ({missing})"] if self.numeric_tokens else []
            else:  # a predictor's missing cell is no value, not a problem of the row
                absent = self._absent(name)
                if self.numeric_tokens:
                    value = f"CASE WHEN {absent} THEN NULL ELSE {value} END"
                sql.bad.append(f"WHEN {number} IS NULL AND NOT {absent} THEN {bad_number(index)}")
                sql.fine.append(f"({number} IS NOT NULL OR {absent})")
            sql.usable.append(f"{value} AS {number}")
        return sql

    def checked(self, rows: str) -> str:
        """`rows` with v, e, x0... (the usable value, exposure and numbers, or NULL) and each
        row's kind."""
        value, value_kind = self.source.column(self.spec.columns.value)
        flag = self.spec.metric.statistic == "proportion"
        numbers = self._numbers()
        raw = [f"{number_of(value, value_kind, flag)} AS vr", *numbers.raw]
        usable_sql = [f"{usable('vr', flag)} AS v", *numbers.usable]
        whens = []
        if self.source.may_have_blank_rows:
            empty = " AND ".join(f"{text_of(c, 'VARCHAR')} = ''" for c in self.source.columns)
            whens.append(f"WHEN v IS NULL AND {empty} THEN {BLANK}")
        whens.append(f"WHEN {self._missing(self.spec.columns.value, 'v')} THEN {MISSING_VALUE}")
        # Most rows are usable: one test settles them before the checks of the rest.
        fine = ["v IS NOT NULL"]
        if self.numeric_tokens:
            fine.append(f"NOT ({self._missing(self.spec.columns.value, 'v')})")
        if self.exposure is None:
            usable_sql.append("1.0 AS e")
            whens += numbers.missing
        else:
            column, kind = self.source.column(self.exposure)
            raw.append(f"{number_of(column, kind, False)} AS er")
            usable_sql.append(f"{usable('er', False)} AS e")
            whens.append(f"WHEN {self._missing(self.exposure, 'e')} THEN {MISSING_EXPOSURE}")
            whens += numbers.missing
            whens += [
                f"WHEN v IS NULL AND e IS NULL THEN {BAD_BOTH}",
                f"WHEN e IS NULL THEN {BAD_EXPOSURE}",
            ]
            fine.append("e IS NOT NULL")
            if self.numeric_tokens:
                fine.append(f"NOT ({self._missing(self.exposure, 'e')})")
        whens.append(f"WHEN v IS NULL THEN {BAD_VALUE}")
        whens += numbers.bad
        checks = f"CASE {' '.join(whens)} ELSE {OK} END"
        usable_row = " AND ".join(fine + numbers.fine)
        kind = f"CAST(CASE WHEN {usable_row} THEN {OK} ELSE {checks} END AS TINYINT) AS kind"
        parsed = (
            f"SELECT *, {', '.join(usable_sql)} FROM (SELECT *, {', '.join(raw)} FROM ({rows}))"
        )
        return f"SELECT *, {kind} FROM ({parsed})"

    def texts(self) -> list[str]:
        """Key and where columns as text, named k0, k1, ... (keys, then data.where)."""
        return [
            f"{text_of(*self.source.column(name))} AS k{index}"
            for index, name in enumerate(self._named())
        ]

    def grouped_query(self, moments: bool) -> str:
        """Counts and sums (and with `moments` centred second moments) per key cells and
        kind: one pass over the file."""
        cells = [self.source.column(name)[0] for name in self._named()]
        if self.spec.data.duplicates == "keep":
            rows = "SELECT *, 1 AS copies FROM {scan}"
            counted = "count(*)"
        else:  # each distinct row once, with its number of copies
            every = ", ".join(self.source.columns)
            rows = f"SELECT {every}, count(*) AS copies FROM {{scan}} GROUP BY ALL"
            counted = "sum(copies)"
        sums = (
            ["sy"] + (["sx"] if self.exposure else []) + (["qyy", "qxy", "qxx"] if moments else [])
        )
        aggregates = {
            "rows": counted,
            "n": "count(*)",
            "sy": "sum(v)",
            "sx": "sum(e)",
            "qyy": "var_pop(v) * count(*)",
            "qxy": "covar_pop(v, e) * count(*)",
            "qxx": "var_pop(e) * count(*)",
        }
        inner = [*cells, "kind"] + [
            f"{aggregates[name]} AS {name}" for name in ["rows", "n", *sums]
        ]
        extra = [f"{sql} AS {alias}" for alias, (_, sql) in self.products().items()]
        extra += [f"count(x{i}) AS __present{i}" for i in range(self.required, len(self.numbers))]
        inner += extra
        outer = [*self.texts(), "kind", "rows", "n", *sums]
        outer += [item.rsplit(" AS ", 1)[1] for item in extra]
        # Identifiers are quoted (`quote`), text is `literal`; file paths are parameters.
        return (
            f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} "
            f"FROM ({self.checked(rows)}) GROUP BY ALL) ORDER BY ALL"
        )

    def products(self) -> dict[str, tuple[tuple[str, ...], str]]:
        """The sums of products a summary table needs, by SQL alias: (the columns' names,
        sorted, and the SQL sum). A regression with covariates or weights needs Σw, Σwy,
        Σwy², Σwz, Σwzz' and Σwzy (`_adjusted`); a predictor its sum (its count is c0...)."""
        names = self.numbers
        value = self.spec.columns.value
        sql_of = {value: "v"} | {name: f"x{index}" for index, name in enumerate(names)}
        wanted: list[tuple[str, ...]] = []
        if self.spec.adjusted:
            weight = (self.spec.columns.weight,) if self.spec.columns.weight else ()
            covariates = self.spec.columns.covariates
            wanted += [(*weight, value), (*weight, value, value)]
            wanted += [weight] if weight else []
            for index, first in enumerate(covariates):
                wanted += [(*weight, first), (*weight, first, value)]
                wanted += [(*weight, first, second) for second in covariates[: index + 1]]
        wanted += [(name,) for name in names[self.required :]]
        return {
            f"__product{index}": (tuple(sorted(key)), f"sum({' * '.join(sql_of[n] for n in key)})")
            for index, key in enumerate(wanted)
        }

    def row_query(self, repeats: bool) -> str:
        """Each row in file order: position, key texts (k0...), v, e, the numbers x0..., kind,
        the value, exposure and number cells as written (vcell, ecell, xcell0...), and with
        `repeats` whether it repeats an earlier row."""
        cells = [f"CAST({self.source.column(self.spec.columns.value)[0]} AS VARCHAR) AS vcell"]
        if self.exposure is not None:
            cells.append(f"CAST({self.source.column(self.exposure)[0]} AS VARCHAR) AS ecell")
        numbers = [f"x{index}" for index in range(len(self.numbers))]
        cells += [
            f"CAST({self.source.column(name)[0]} AS VARCHAR) AS xcell{index}"
            for index, name in enumerate(self.numbers)
        ]
        numbered = f"SELECT {self.source.ordinal} AS position, * FROM {{scan}}"
        select = ["position", *self.texts(), "v", "e", *numbers, "kind", *cells]
        if repeats:
            every = ", ".join(self.source.columns)
            select.append(
                f"row_number() OVER (PARTITION BY {every} ORDER BY position) > 1 AS repeated"
            )
        query = f"SELECT {', '.join(select)} FROM ({self.checked(numbered)})"
        return query + (" ORDER BY position" if repeats else "")
