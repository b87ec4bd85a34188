"""
The procurement report, following the record-keeping duty of its regime (PCR 2015 reg. 84,
Directive 2014/24/EU Art. 84, PCSR 2015 reg. 83, Procurement Act 2023 s.98), assembled only
from what the portal holds: the procurement and its pinned
rulebook, the design, the submission rounds and their incident logs, the standings, the
signed-off evaluation, the letters, the contracts and the audit trail. Nothing is typed in:
what the record does not hold is shown as "not recorded".
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sanely.documents.wording import money
from sanely.documents.wording import uk_date as written_date
from sanely.portal.audit.models import AuditEvent
from sanely.portal.competition.events import PARTICIPANT_STANDING_CHANGED
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.competition.selectors import declaration_list, participants
from sanely.portal.negotiation.models import Clarification, Meeting
from sanely.portal.procurements.design import section
from sanely.portal.procurements.engine import UK, estimated_value, rulebook_of, uk_date
from sanely.portal.procurements.events import PROCUREMENT_ACTION_PREFIX
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import SubmissionVersion
from sanely.portal.tenders.selectors import candidates, round_list, submitted_counts
from sanely.procedure import Rulebook

from .selectors import Standstill, contracts_of, decision_letters, outcomes_of, standstill

NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class Extension:
    previous_deadline: datetime
    new_deadline: datetime
    reason: str
    platform_incident: bool
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class RoundRecord:
    label: str
    deadline: datetime
    submitted: int
    extensions: list[Extension]
    opening_requested_by: str
    opening_requested_at: datetime | None
    opened_by: str
    opened_at: datetime | None


@dataclass(frozen=True)
class StandingRecord:
    supplier: str
    standing: str
    reason: str


@dataclass(frozen=True)
class StandingChange:
    """One move of a supplier's standing, as the audit trail recorded it."""

    supplier: str
    standing: str
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class OutcomeRecord:
    rank: int
    tenderer: str
    total: Decimal
    price: Decimal | None
    recommended: bool
    strengths: str
    signed_off_by: str
    signed_off_at: datetime


@dataclass(frozen=True)
class ConflictRecord:
    """An interest declared: in the design's conflicts assessment or by an evaluator."""

    person: str
    conflict: bool
    interest: str
    mitigation: str
    declared_at: datetime | None
    source: str


@dataclass(frozen=True)
class JustificationRecord:
    rule: str
    citation: str
    justification: str


@dataclass(frozen=True)
class ActionRecord:
    action: str
    label: str
    by: str
    at: datetime


@dataclass(frozen=True)
class NoticeRecord:
    recipient: str
    subject: str
    sent_by: str
    sent_at: datetime


@dataclass(frozen=True)
class ContractRecord:
    partner: str
    max_cost: Decimal
    performance_levels: list[str]
    tendered_price: Decimal | None
    rank: int
    concluded_by: str
    concluded_at: datetime


@dataclass(frozen=True)
class ChecklistItem:
    """One item of the regime's record-keeping duty: what the record holds for it, and where
    from."""

    item: str
    requirement: str
    value: str
    source: str
    recorded: bool


@dataclass(frozen=True)
class Report:
    authority: str
    authority_address: str
    reference: str
    title: str
    regime: str
    rulebook: str
    rulebook_effective_from: date
    rulebook_hash: str
    commenced_on: date
    subject: str
    development_value: Decimal
    purchase_value: Decimal | None
    max_cost: Decimal | None
    procedure_description: str
    published_at: datetime | None
    notice_on: date | None
    rounds: list[RoundRecord]
    standings: list[StandingRecord]
    standing_changes: list[StandingChange]
    outcomes: list[OutcomeRecord]
    conflicts: list[ConflictRecord]
    conflicts_summary: str
    justifications: list[JustificationRecord]
    actions: list[ActionRecord]
    decision_notices_sent_on: date | None
    notices: list[NoticeRecord]
    standstill_last_day: date | None
    standstill_rule: str
    contracts: list[ContractRecord]
    checklist: list[ChecklistItem]

    @property
    def duty(self) -> str:
        """The record-keeping duty the checklist follows, as its heading names it."""
        return duty_of(self.rulebook)

    @property
    def successful(self) -> list[OutcomeRecord]:
        return [o for o in self.outcomes if o.recommended]


def _name(user: object) -> str:
    return str(getattr(user, "full_name", "")) if user is not None else ""


def _rounds(procurement: Procurement) -> list[RoundRecord]:
    submitted = submitted_counts(procurement=procurement)
    return [
        RoundRecord(
            label=r.label,
            deadline=r.deadline,
            submitted=submitted.get(r.pk, 0),
            extensions=[
                Extension(
                    e.previous_deadline,
                    e.new_deadline,
                    e.reason,
                    e.platform_incident,
                    _name(e.recorded_by),
                    e.recorded_at,
                )
                for e in r.extensions.all()
            ],
            opening_requested_by=_name(r.opening_requested_by),
            opening_requested_at=r.opening_requested_at,
            opened_by=_name(r.opened_by),
            opened_at=r.opened_at,
        )
        for r in round_list(procurement=procurement)
        .select_related("opening_requested_by", "opened_by")
        .prefetch_related("extensions__recorded_by")
    ]


def _standings(procurement: Procurement) -> list[StandingRecord]:
    """Every participant with its standing and reason; a candidate with none says so."""
    found = list(participants(procurement).order_by("organisation__name"))
    known = {p.organisation_id for p in found}
    records = [
        StandingRecord(p.organisation.name, Standing(p.standing).label, p.reason or NOT_RECORDED)
        for p in found
    ]
    records += [
        StandingRecord(c.name, "Requested to participate; no standing", NOT_RECORDED)
        for c in candidates(procurement)
        if c.pk not in known
    ]
    return records


def _standing_changes(procurement: Procurement) -> list[StandingChange]:
    """Every standing a supplier was given, with its reason, from the audit trail."""
    names = {str(p.pk): p.organisation.name for p in participants(procurement)}
    events = AuditEvent.objects.filter(
        action=PARTICIPANT_STANDING_CHANGED,
        subject_type=Participant._meta.label_lower,
        subject_id__in=list(names),
    ).select_related("actor")
    return [
        StandingChange(
            names[e.subject_id],
            Standing(e.payload.get("standing", Standing.CANDIDATE)).label,
            str(e.payload.get("reason", "")) or NOT_RECORDED,
            _name(e.actor),
            e.at,
        )
        for e in events.order_by("sequence")
    ]


def _outcomes(procurement: Procurement) -> list[OutcomeRecord]:
    return [
        OutcomeRecord(
            o.rank,
            o.tenderer.name,
            o.total,
            o.price,
            o.recommended,
            o.strengths,
            _name(o.signed_off_by),
            o.signed_off_at,
        )
        for o in outcomes_of(procurement)
    ]


# What the portal does once an evaluator declares a conflict (evaluation.may_read_tenders).
WITHDRAWN = "Access to the tenders and scoring withdrawn by the portal on declaration"


def _conflicts(procurement: Procurement) -> tuple[list[ConflictRecord], str]:
    """The design's declarations, then every evaluator's declaration as made."""
    conflicts = section(procurement.design, "conflicts")
    records = [
        ConflictRecord(d.person, True, d.interest, d.mitigation or NOT_RECORDED, None, "design")
        for d in conflicts.declarations
    ]
    for d in declaration_list(procurement).order_by("declared_at", "pk"):
        names = ", ".join(str(t.get("name", "")) for t in d.tenderers) or NOT_RECORDED
        records.append(
            ConflictRecord(
                _name(d.evaluator),
                d.conflict,
                d.details if d.conflict else f"No conflict with {names}",
                WITHDRAWN if d.conflict else "none needed",
                d.declared_at,
                "evaluation",
            )
        )
    return records, conflicts.assessment_summary


def _justifications(procurement: Procurement, rulebook: Rulebook) -> list[JustificationRecord]:
    def citation(rule_id: str) -> str:
        try:
            return rulebook.rule(rule_id).citation
        except KeyError:  # a justification kept for a rule this rulebook does not have
            return ""

    return [
        JustificationRecord(rule_id, citation(rule_id), text)
        for rule_id, text in sorted(procurement.justifications.items())
    ]


def _actions(procurement: Procurement, rulebook: Rulebook) -> list[ActionRecord]:
    """The procurement's own audit events: creation, design changes and lifecycle actions."""
    labels = {PROCUREMENT_ACTION_PREFIX + e.id: e.label for e in rulebook.events}
    events = AuditEvent.objects.filter(
        subject_type=Procurement._meta.label_lower,
        subject_id=str(procurement.pk),
        action__startswith=PROCUREMENT_ACTION_PREFIX,
    ).select_related("actor")
    return [
        ActionRecord(e.action, labels.get(e.action, e.action), _name(e.actor), e.at)
        for e in events.order_by("sequence")
    ]


def _notices(procurement: Procurement) -> list[NoticeRecord]:
    return [
        NoticeRecord(letter.recipient.name, letter.subject, _name(letter.sent_by), letter.sent_at)
        for letter in decision_letters(procurement)
    ]


def _contracts(procurement: Procurement) -> list[ContractRecord]:
    return [
        ContractRecord(
            c.partner.name,
            c.max_cost,
            list(c.performance_levels),
            c.tendered_price,
            c.rank,
            _name(c.concluded_by),
            c.concluded_at,
        )
        for c in contracts_of(procurement)
    ]


def procurement_report(procurement: Procurement) -> Report:
    """The report of one procurement, from its record alone."""
    rulebook = rulebook_of(procurement)
    development, purchase_value = estimated_value(procurement.design)
    conflicts, conflicts_summary = _conflicts(procurement)
    period: Standstill | None = standstill(procurement)
    authority = procurement.organisation
    address = ", ".join(part for part in (authority.address, authority.postcode) if part)
    report = Report(
        authority=authority.name,
        authority_address=address,
        reference=procurement.reference,
        title=procurement.title,
        regime=rulebook.title,
        rulebook=procurement.rulebook_id,
        rulebook_effective_from=procurement.rulebook_effective_from,
        rulebook_hash=procurement.rulebook_hash,
        commenced_on=procurement.commenced_on,
        subject=section(procurement.design, "need").need_statement,
        development_value=development,
        purchase_value=purchase_value,
        max_cost=section(procurement.design, "purchase").max_cost,
        procedure_description=section(procurement.design, "timeline").procedure_description,
        published_at=procurement.published_at,
        notice_on=procurement.notice_on,
        rounds=_rounds(procurement),
        standings=_standings(procurement),
        standing_changes=_standing_changes(procurement),
        outcomes=_outcomes(procurement),
        conflicts=conflicts,
        conflicts_summary=conflicts_summary,
        justifications=_justifications(procurement, rulebook),
        actions=_actions(procurement, rulebook),
        decision_notices_sent_on=procurement.decision_notices_sent_on,
        notices=_notices(procurement),
        standstill_last_day=period.last_day if period else None,
        standstill_rule=period.citation if period else "",
        contracts=_contracts(procurement),
        checklist=[],
    )
    report.checklist.extend(_checklist(report, procurement))
    return report


def _item(item: str, requirement: str, value: str, source: str) -> ChecklistItem:
    recorded = bool(value.strip())
    return ChecklistItem(item, requirement, value if recorded else NOT_RECORDED, source, recorded)


def _value(report: Report) -> str:
    parts = [f"development (all phases) {money(report.development_value)}"]
    if report.purchase_value is not None:
        parts.append(f"purchase {money(report.purchase_value)}")
    return ", ".join(parts) if report.development_value or report.purchase_value else ""


def _listed(report: Report, standings: set[str]) -> str:
    """Each supplier ever given one of `standings`, with the latest reason recorded with it."""
    reasons: dict[str, str] = {}
    history = [(s.supplier, s.standing, s.reason) for s in report.standings]
    history += [(c.supplier, c.standing, c.reason) for c in report.standing_changes]
    for supplier, standing, reason in history:
        if standing in standings:
            reasons[supplier] = reason
    return "; ".join(f"{supplier}: {reason}" for supplier, reason in sorted(reasons.items()))


SELECTED = {Standing.INVITED.label}
REJECTED = {Standing.NOT_SELECTED.label, Standing.REDUCED.label}


# The record-keeping duty of each regime, as the report's heading names it. The Regulations
# and the Directive ask for a written report of listed items (PCR 2015 reg. 84(1) follows
# Art. 84(1)); PCSR 2015 has the same report in reg. 83(1), with the subcontracting as its own
# item; the Procurement Act 2023 asks for no report but for records of each material decision
# and of the communications with suppliers (s.98).
DUTIES = {
    "pcr-2015-reg31": "PCR 2015 reg. 84(1)",
    "eu-2014-24-art31": "Directive 2014/24/EU Art. 84(1)",
    "pcsr-2015-reg32": "PCSR 2015 reg. 83(1)",
    "pa-2023-cfp-ip": "Procurement Act 2023 s.98",
}
# Each item of the written report by its letter: the Regulations and the Directive, and PCSR.
_REPORT_LETTERS = {
    "reg84": ("(a)", "(b)(i)", "(b)(ii)", "(c)", "(d)", None, "(e)", "(f)", "(g)", "(h)", "(i)"),
    "reg83": ("(a)", "(b)(i)", "(b)(ii)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)", "(j)"),
}


def duty_of(rulebook_id: str) -> str:
    return DUTIES.get(rulebook_id, DUTIES["pcr-2015-reg31"])


def _checklist(report: Report, procurement: Procurement) -> list[ChecklistItem]:
    if report.rulebook == "pa-2023-cfp-ip":
        return _records(report, procurement)
    letters = _REPORT_LETTERS["reg83" if report.rulebook == "pcsr-2015-reg32" else "reg84"]
    items = _report_items(report, procurement, subcontracting_apart=letters[5] is not None)
    return [
        _item(letter, *item)
        for letter, item in zip(letters, items, strict=True)
        if letter is not None and item is not None
    ]


_Row = tuple[str, str, str] | None  # requirement, what the record holds, where from


def _report_items(
    report: Report, procurement: Procurement, *, subcontracting_apart: bool
) -> list[_Row]:
    """The written report's items, in the order both regulations list them."""
    authority = f"{report.authority}, {report.authority_address or 'address ' + NOT_RECORDED}"
    value = _value(report) or f"value {NOT_RECORDED}"
    submitted = SubmissionVersion.objects.filter(round__procurement=procurement).count()
    is_ip = "innovation partnership" in report.regime.lower()
    successful = _successful(report)
    share = (
        ""
        if subcontracting_apart or not successful
        else f"; share to be subcontracted: {NOT_RECORDED}"
    )
    return [
        (
            "Name and address of the contracting authority, subject-matter and value",
            f"{authority}; {report.title}; {value}",
            "the authority's organisation record; the design (need, phases, purchase)",
        ),
        (
            "Selected candidates and the reasons for their selection",
            _listed(report, SELECTED),
            "standings and standing changes, with their reasons",
        ),
        (
            "Rejected candidates and the reasons for their rejection",
            _listed(report, REJECTED),
            "standings and standing changes, with their reasons",
        ),
        (
            "Reasons for rejecting tenders found to be abnormally low",
            _listed(report, {Standing.REJECTED.label})
            or ("None: no tender stands rejected." if report.outcomes else ""),
            "participant standings (rejected) and their reasons",
        ),
        (
            "The successful tenderers and why their tenders were selected",
            successful + share,
            "the signed-off evaluation outcomes (rank, total, strengths)",
        ),
        (
            "Where known: the share of the contract to be subcontracted, and the subcontractors",
            "",
            "nothing in the record: ask the partners and record it",
        )
        if subcontracting_apart
        else None,
        (
            "Competitive procedure with negotiation or dialogue: why it was used",
            f"Not applicable: {report.regime}." if is_ip else "",
            "the pinned rulebook",
        ),
        (
            "Negotiated procedure without prior publication: why it was used",
            f"Not applicable: {report.regime}." if is_ip else "",
            "the pinned rulebook",
        ),
        (
            "Why no contract was awarded, where none was",
            "Not applicable: contracts were concluded." if report.contracts else "",
            "the contracts",
        ),
        (
            "Why other than electronic means were used for tenders",
            f"Not applicable: all {submitted} submissions were received electronically"
            " through the portal."
            if submitted
            else "",
            "the sealed submissions and their receipts",
        ),
        (
            "Conflicts of interest detected and the measures taken",
            _conflicts_detected(report),
            "the design's conflicts section and the evaluators' declarations",
        ),
    ]


def _successful(report: Report) -> str:
    return "; ".join(
        f"{o.tenderer} (rank {o.rank}, {o.total} points): {o.strengths or NOT_RECORDED}"
        for o in report.successful
    )


def _conflicts_detected(report: Report) -> str:
    return "; ".join(
        f"{c.person}: {c.interest} (measures: {c.mitigation})"
        for c in report.conflicts
        if c.conflict
    ) or (f"None declared. {report.conflicts_summary}" if report.conflicts_summary else "")


def _records(report: Report, procurement: Procurement) -> list[ChecklistItem]:
    """
    Procurement Act 2023 s.98: records enough to explain each material decision (one the Act
    requires to be made, or a notice or document about), the communications with suppliers
    before the contract is entered into, and how long they are kept.
    """
    notices = "; ".join(f"{n.subject} to {n.recipient}, {_when(n.sent_at)}" for n in report.notices)
    told = {
        "letters": Letter.objects.filter(procurement=procurement).count(),
        "clarification questions": Clarification.objects.filter(procurement=procurement).count(),
        "negotiation meetings": Meeting.objects.filter(procurement=procurement).count(),
    }
    entered = min((c.concluded_at for c in report.contracts), default=None)
    return [
        _item(
            "s.98(1)-(2)",
            "Decisions on the conditions of participation: who passed and who did not, and why",
            "; ".join(x for x in (_listed(report, SELECTED), _listed(report, REJECTED)) if x),
            "standings and standing changes, with their reasons",
        ),
        _item(
            "s.98(1)-(2)",
            "The award decision: the successful tenderers and why; tenders rejected as"
            " abnormally low",
            "; ".join(
                x for x in (_successful(report), _listed(report, {Standing.REJECTED.label})) if x
            ),
            "the signed-off evaluation outcomes and the rejected tenders' reasons",
        ),
        _item(
            "s.98(1)-(2)",
            "Assessment summaries and notices sent about the award",
            notices,
            "the letters sent from the portal",
        ),
        _item(
            "s.98(1)-(2)",
            "The conflicts assessment and the measures taken",
            _conflicts_detected(report),
            "the design's conflicts section and the evaluators' declarations",
        ),
        _item(
            "s.98(3)",
            "Communications with suppliers about the award, before the contract is entered into",
            "; ".join(f"{count} {what}" for what, count in told.items() if count)
            + (", each kept in full in the portal" if any(told.values()) else ""),
            "the letters, clarifications and meeting minutes",
        ),
        _item(
            "s.98(4)",
            "How long the records are kept",
            f"Until {_when(three_years_after(uk_date(entered)))}: three years beginning with the"
            f" day the first contract was entered into ({_when(uk_date(entered))})."
            if entered
            else "",
            "the contracts",
        ),
    ]


def three_years_after(day: date) -> date:
    """The last day of the three years beginning with `day`."""
    try:
        following = day.replace(year=day.year + 3)
    except ValueError:  # 29 February: the three years end on the last day of February
        following = date(day.year + 3, 3, 1)
    return following - timedelta(days=1)


def _when(moment: datetime | date | None) -> str:
    """A day or moment as UK readers write it: 5 December 2026, or 5 December 2026, 14:07:09."""
    if moment is None:
        return NOT_RECORDED
    if isinstance(moment, datetime):
        local = moment.astimezone(UK)
        return f"{written_date(local.date())}, {local:%H:%M:%S} UK time"
    return written_date(moment)


# Text people wrote, shown literally in Markdown (CommonMark): a backslash before the marks of
# HTML, links, emphasis and code, and before an & that would start an entity. A renderer passes
# raw HTML through; escaped, it is text, and the file still reads plainly.
_MARKS = re.compile(r"([\\`*_\[\]<>]|&(?=#?\w+;))")


def _md(text: object) -> str:
    """Recorded text as Markdown shows it: literally, on one line."""
    return _MARKS.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["None recorded.", ""]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join(_md(c).replace("|", "/") for c in row) + " |")
    return [*lines, ""]


def _money(amount: Decimal | None) -> str:
    return NOT_RECORDED if amount is None else money(amount)


def _round_row(r: RoundRecord) -> list[str]:
    extended = "; ".join(
        f"to {_when(e.new_deadline)} by {e.recorded_by}: {e.reason}" for e in r.extensions
    )
    opened = (
        f"{_when(r.opened_at)}, asked by {r.opening_requested_by}, confirmed by {r.opened_by}"
        if r.opened_at
        else "not opened"
    )
    return [r.label, _when(r.deadline), str(r.submitted), extended or "none", opened]


def _outcome_row(o: OutcomeRecord) -> list[str]:
    won = "yes" if o.recommended else "no"
    return [str(o.rank), o.tenderer, str(o.total), _money(o.price), won, o.strengths]


def _contract_row(c: ContractRecord) -> list[str]:
    levels = "; ".join(c.performance_levels)
    concluded = f"{_when(c.concluded_at)} by {c.concluded_by}"
    return [c.partner, str(c.rank), _money(c.tendered_price), _money(c.max_cost), levels, concluded]


def _heading(report: Report) -> list[str]:
    return [
        f"# Procurement report: {_md(report.reference)} {_md(report.title)}",
        "",
        f"- Contracting authority: {_md(report.authority)},"
        f" {_md(report.authority_address or NOT_RECORDED)}",
        f"- Regime: {report.regime}, as in force from {_when(report.rulebook_effective_from)}"
        f" (rulebook {report.rulebook}, SHA-256 {report.rulebook_hash})",
        f"- Commenced on {_when(report.commenced_on)}; notice {_when(report.notice_on)};"
        f" published {_when(report.published_at)}",
        f"- Subject: {_md(report.subject or NOT_RECORDED)}",
        f"- Estimated value: development {_money(report.development_value)}, purchase"
        f" {_money(report.purchase_value)}; maximum cost of the purchase {_money(report.max_cost)}",
        f"- Procedure: {_md(report.procedure_description or NOT_RECORDED)}",
        "",
    ]


def report_sections(report: Report) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's tables as (heading, header, rows): the page and the download show these."""
    return [
        (
            report.duty,
            ["Item", "Requirement", "The record", "From"],
            [[c.item, c.requirement, c.value, c.source] for c in report.checklist],
        ),
        (
            "Submission rounds",
            ["Round", "Deadline", "Suppliers", "Extensions", "Opened"],
            [_round_row(r) for r in report.rounds],
        ),
        (
            "Candidates and tenderers",
            ["Supplier", "Standing", "Reason"],
            [[s.supplier, s.standing, s.reason] for s in report.standings],
        ),
        (
            "Standing changes (audit trail)",
            ["When", "Supplier", "Standing", "Reason", "By"],
            [
                [_when(c.at), c.supplier, c.standing, c.reason, c.by]
                for c in report.standing_changes
            ],
        ),
        (
            "Evaluation (signed off)",
            ["Rank", "Tenderer", "Total", "Price", "Successful", "Characteristics and advantages"],
            [_outcome_row(o) for o in report.outcomes],
        ),
        (
            "Conflicts of interest",
            ["Person", "Declared", "Interest", "Measures", "Where"],
            [
                [c.person, _when(c.declared_at), c.interest, c.mitigation, c.source]
                for c in report.conflicts
            ],
        ),
        (
            "Justifications recorded for rules that ask for one",
            ["Rule", "Citation", "Justification"],
            [[j.rule, j.citation, j.justification] for j in report.justifications],
        ),
        (
            "Lifecycle actions (audit trail)",
            ["When", "Action", "By"],
            [[_when(a.at), a.label, a.by] for a in report.actions],
        ),
        (
            "Decision notices",
            ["To", "Subject", "Sent", "By"],
            [[n.recipient, n.subject, _when(n.sent_at), n.sent_by] for n in report.notices],
        ),
        (
            "Contracts",
            [
                "Partner",
                "Rank",
                "Tendered price",
                "Maximum cost",
                "Performance levels",
                "Concluded",
            ],
            [_contract_row(c) for c in report.contracts],
        ),
    ]


def report_markdown(report: Report) -> str:
    """The report as Markdown, to keep with the procurement documents."""
    lines = _heading(report)
    for title, header, rows in report_sections(report):
        lines += [f"## {title}", "", *_table(header, rows)]
    rule = report.standstill_rule or NOT_RECORDED
    lines += [
        f"Conflicts assessment: {_md(report.conflicts_summary or NOT_RECORDED)}",
        f"Decision notices sent on {_when(report.decision_notices_sent_on)}; the standstill's"
        f" last day {_when(report.standstill_last_day)} ({rule}).",
    ]
    return "\n".join(lines) + "\n"
