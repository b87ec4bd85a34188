"""The pure-Python normal and t functions against scipy.special, which they stand in for."""

import math

import numpy as np
import pytest
from scipy import special

from sanely.evidence._distributions import normal_cdf, normal_quantile, t_quantile, t_tail

DEGREES = [1, 1.5, 2, 3.5, 7, 10, 30, 99, 310, 2012, 9999, 1e5, 3e5, 1e6, 3e6, 1e9, math.inf]


@pytest.mark.parametrize("df", DEGREES)
def test_t_tails_equal_scipy_from_the_middle_to_the_far_tail(df: float) -> None:
    for t in [0.0, 0.01, 0.3, 1.0, 1.6448537793, 1.75, 1.96, 2.5, 4.0, 8.0, 15.0, 37.0, 1e4]:
        theirs = float(special.stdtr(df, -t))
        if theirs > 1e-300:
            assert t_tail(df, t) == pytest.approx(theirs, rel=1e-10, abs=0)
            assert t_tail(df, -t) == pytest.approx(1 - theirs, rel=1e-10)


@pytest.mark.parametrize("df", DEGREES)
def test_t_quantiles_equal_scipy(df: float) -> None:
    for p in [1e-20, 1e-8, 0.0005, 0.025, 0.05, 0.3, 0.5, 0.7, 0.975, 0.9995, 1 - 1e-12]:
        assert t_quantile(df, p) == pytest.approx(
            float(special.stdtrit(df, p)), rel=1e-10, abs=1e-300
        )


def test_a_cauchy_tail_near_the_centre_is_its_closed_form() -> None:
    """With one degree of freedom P(T > t) = 1/2 - atan(t)/π; near zero scipy.special's
    stdtr is off by 3e-9 here, so the comparison is with the closed form."""
    for t in (1e-8, 1e-5, 0.001):
        assert t_tail(1, t) == pytest.approx(0.5 - math.atan(t) / math.pi, rel=1e-14)


def test_normal_functions_equal_scipy_into_the_far_tail() -> None:
    for z in np.linspace(-37, 8, 181):
        assert normal_cdf(z) == pytest.approx(float(special.ndtr(z)), rel=1e-12)
    for p in [1e-300, 1e-20, 1e-5, 0.025, 0.5, 0.975, 1 - 1e-12]:
        assert normal_quantile(p) == pytest.approx(float(special.ndtri(p)), rel=1e-12)


def test_the_command_starts_without_scipy(tmp_path: object) -> None:
    """A mean with t intervals needs neither scipy.special nor scipy.stats."""
    import subprocess
    import sys

    child = (
        "import sys\n"
        "from sanely.evidence import assess, table_from_arrays\n"
        "table = table_from_arrays([1.0, 2.0, 4.0, 3.0], group=['a', 'a', 'b', 'b'])\n"
        "spec = {'columns': {'value': 'v', 'group': 'g'}, 'design': {'kind': 'two_group',"
        " 'treated': ['b'], 'control': ['a']}}\n"
        "assess(table, spec)\n"
        "print(sorted(name for name in sys.modules if name.startswith('scipy')))\n"
    )
    done = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", child], capture_output=True, text=True, check=True
    )
    assert "[]" == done.stdout.strip()
