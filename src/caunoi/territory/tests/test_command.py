import pytest
import vietnam_provinces
from django.core.management import CommandError, call_command

from caunoi.demo.builder import DATA as DATA_2022
from caunoi.territory.models import Level, Unit


@pytest.mark.django_db
def test_import_units_command(tmp_path, capsys):
    call_command("import_units", str(DATA_2022), "--layout", "vnprovinces", "--province", "25")
    assert Unit.objects.filter(level=Level.COMMUNE).count() == 225
    with pytest.raises(CommandError):  # changes without an effective date: refused
        call_command(
            "import_units",
            str(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH),
            "--layout=vnprovinces",
            "--province=25",
        )
    mapping = tmp_path / "map.csv"
    mapping.write_text("old,new\n07903,07900\n")
    call_command(
        "import_units",
        str(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH),
        "--layout=vnprovinces",
        "--province=25",
        "--effective=01/07/2025",
        "--decision=1676/NQ-UBTVQH15",
        "--decision-date=16/06/2025",
        f"--mapping={mapping}",
    )
    out = capsys.readouterr().out
    assert "Imported." in out
    assert Unit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True).count() == 148
    bad = tmp_path / "x.xlsx"
    bad.write_text("not excel")
    with pytest.raises(CommandError):
        call_command("import_units", str(bad), "--layout=gso")
