import pytest

from sanely import cli


def test_help_lists_every_command(capsys):
    assert 0 == cli.main(["--help"])
    out = capsys.readouterr().out
    for name in [*cli.PURE_COMMANDS, *cli.PORTAL_COMMANDS]:
        assert f"  {name}" in out


def test_unknown_command_exits_2_with_usage(capsys):
    assert 2 == cli.main(["frobnicate"])
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


def test_pure_command_gets_the_rest_of_the_arguments(monkeypatch):
    seen = []

    class FakeModule:
        @staticmethod
        def main(argv):
            seen.append(argv)
            return 7

    monkeypatch.setattr(cli.importlib, "import_module", lambda name: FakeModule)
    assert 7 == cli.main(["deadline", "standstill", "--json"])
    assert [["standstill", "--json"]] == seen


@pytest.mark.django_db
def test_portal_command_runs_the_management_command(capsys):
    assert 0 == cli.main(["check"])
    assert "System check identified no issues" in capsys.readouterr().out
