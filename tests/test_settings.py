"""Settings come only from the environment; production values pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env_extra):
    drop = {"DEBUG", "SECRET_KEY", "LEDGER_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "x9!Qz#Lm2$Vb7&Rt4*Wp8^Yc3@Nd6%Hf1-Gj5+Ks0=" + "z" * 10,
    "ALLOWED_HOSTS": "caunoi.example.vn",
    "LEDGER_KEY": "L" * 20 + "q8#Tz!Vm3$Rb6&Kc1*Wp9^Yd4@Nf7%Hg2-Js5+" + "w" * 10,
}


def test_check_deploy_is_silent_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_check_deploy_fails_without_ledger_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "LEDGER_KEY"}
    result = _manage("check", "--deploy", env_extra=env)
    assert result.returncode != 0 and "funds.E001" in result.stderr


def test_check_deploy_fails_without_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", "--deploy", env_extra=env)
    assert result.returncode != 0 and "core.E001" in result.stderr
    assert "several app servers" in result.stderr or "this machine only" in result.stderr


def test_a_retired_rule_still_set_is_named_with_its_successor():
    result = _manage("check", env_extra={"FUNDS_DECISION_THRESHOLD": "0.6"})
    assert "core.W001" in result.stderr and "MEETINGS_DECISION_SHARE" in result.stderr
    assert "core.W001" not in _manage("check", env_extra={}).stderr


def test_hsts_preload_is_off_by_default_as_env_example_says():
    from caunoi import settings as project_settings

    example = (ROOT / ".env.example").read_text()
    assert "\nSECURE_HSTS_PRELOAD=0" in "\n" + example
    assert project_settings.SECURE_HSTS_PRELOAD is False


def test_without_secret_key_a_random_one_is_kept_under_var(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"CAUNOI_VAR_DIR": str(tmp_path)}
    first = _manage("shell", "-c", code, env_extra=env)
    second = _manage("shell", "-c", code, env_extra=env)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert len(key) >= 50 and key == second.stdout.strip().splitlines()[-1]
    assert (tmp_path / "secret_key").read_text().strip() == key


def test_env_file_lists_every_setting_read():
    settings_src = (ROOT / "src/caunoi/settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    import re

    names = set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z_]+)"', settings_src))
    missing = sorted(n for n in names if f"\n{n}=" not in "\n" + example)
    assert not missing, f".env.example lacks {missing}"


def test_passwords_are_hashed_with_argon2():
    from caunoi import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_every_policy_rule_is_listed_and_read_from_the_environment(tmp_path):
    from caunoi.core.policy import RULES

    example = "\n" + (ROOT / ".env.example").read_text()
    assert len(RULES) >= 20
    missing = sorted(name for name in RULES if f"\n{name}=" not in example)
    assert not missing, f".env.example lacks {missing}"
    for declared in RULES.values():
        assert str(declared.label) and str(declared.basis), declared.name

    code = "from django.conf import settings; print(settings.DIRECTIVE_MIN_LEAD_WORKING_DAYS)"
    done = _manage(
        "shell",
        "-c",
        code,
        env_extra={"CAUNOI_VAR_DIR": str(tmp_path), "DIRECTIVE_MIN_LEAD_WORKING_DAYS": "7"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "7"


def test_no_threshold_is_read_with_a_default_behind_the_registry():
    import re

    hits = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "src/caunoi").rglob("*.py")
        if path != ROOT / "src/caunoi/core/policy.py"  # the registry itself
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"getattr\(\s*settings\s*,", line)
    ]
    assert not hits, hits
