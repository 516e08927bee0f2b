"""Settings from the environment, with safe defaults for the demo office."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _demo_secret(instance_path: str) -> str:
    """Return the demo SECRET_KEY kept in the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def is_demo_mode() -> bool:
    """Demo mode: no DATABASE_URL given, or IKU_DEMO=1 asked for explicitly."""
    flag = os.environ.get("IKU_DEMO")
    if flag is not None:
        return flag.strip().lower() in {"1", "true", "yes", "on"}
    return not os.environ.get("DATABASE_URL")


def build_config(instance_path: str, secret_key: str | None = None) -> dict:
    """Collect the configuration from the environment.

    Production (DATABASE_URL set, IKU_DEMO unset) must give SECRET_KEY; demo mode generates one and
    keeps it in the instance folder so sessions survive a restart.
    """
    demo = is_demo_mode()
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "iku_workflow.sqlite3")
    )
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    secret = secret_key or os.environ.get("SECRET_KEY")
    if not secret:
        if not demo:
            raise RuntimeError(
                "SECRET_KEY belum diatur. Di produksi (DATABASE_URL diisi) SECRET_KEY wajib diberikan."
            )
        secret = _demo_secret(instance_path)
    https = os.environ.get("IKU_HTTPS", "").lower() in {"1", "true", "yes", "on"}
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "IKU_DEMO": demo,
        "IKU_DEMO_PASSWORD": os.environ.get("IKU_DEMO_PASSWORD", "gumukmas-demo-2025" if demo else ""),
        "IKU_UPLOAD_DIR": os.environ.get("IKU_UPLOAD_DIR") or str(Path(instance_path) / "uploads"),
        # The file store (iku_workflow.storage): unset means file:// + IKU_UPLOAD_DIR.
        "IKU_STORAGE_URL": os.environ.get("IKU_STORAGE_URL", "").strip(),
        # The address the public prints in QR codes of decrees start with (empty: this request's host).
        "IKU_PUBLIC_BASE_URL": os.environ.get("IKU_PUBLIC_BASE_URL", "").strip().rstrip("/"),
        "IKU_S3_ENDPOINT_URL": os.environ.get("IKU_S3_ENDPOINT_URL", "").strip(),
        "IKU_S3_ACCESS_KEY": os.environ.get("IKU_S3_ACCESS_KEY", ""),
        "IKU_S3_SECRET_KEY": os.environ.get("IKU_S3_SECRET_KEY", ""),
        "IKU_S3_REGION": os.environ.get("IKU_S3_REGION", "").strip() or "us-east-1",
        "IKU_MAX_UPLOAD_MB": int(os.environ.get("IKU_MAX_UPLOAD_MB", "20")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "IKU_LOGIN_LIMIT": os.environ.get("IKU_LOGIN_LIMIT", "10 per minute"),
        "IKU_LOGIN_ADDRESS_LIMIT": os.environ.get("IKU_LOGIN_ADDRESS_LIMIT", ""),
        # Requests per API token (api.auth.rate_limit); a load test raises it.
        "IKU_API_RATE_LIMIT": os.environ.get("IKU_API_RATE_LIMIT", "").strip() or "300 per minute",
        "IKU_MAX_FAILED_LOGINS": int(os.environ.get("IKU_MAX_FAILED_LOGINS", "10")),
        "IKU_LOCKOUT_MINUTES": int(os.environ.get("IKU_LOCKOUT_MINUTES", "15")),
        "IKU_BEHIND_PROXY": os.environ.get("IKU_BEHIND_PROXY", "").lower() in {"1", "true", "yes"},
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_SENDER": os.environ.get("SMTP_SENDER", ""),
        # days before a due date on which `reminders send` reminds (workflow.reminders.days_before)
        "IKU_REMINDER_DAYS": os.environ.get("IKU_REMINDER_DAYS", "7,1"),
        # register rows of a triwulan are due this many days after it ends (registers.operations.register_due_date)
        "IKU_REGISTER_DUE_DAYS": os.environ.get("IKU_REGISTER_DUE_DAYS", "10"),
        # an SKM period's result is due this many days after the period ends (survey.operations.period_due_date);
        # empty: the registers' IKU_REGISTER_DUE_DAYS
        "IKU_SKM_DUE_DAYS": os.environ.get("IKU_SKM_DUE_DAYS", ""),
        # the year's decree is due on this month-day of its year (decree.due.decree_due_date)
        "IKU_DECREE_DUE": os.environ.get("IKU_DECREE_DUE", "01-31"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "IKU_HTTPS": https,  # served over HTTPS only: secure cookies and Strict-Transport-Security
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_NAME": "__Host-iku_session" if https else "iku_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=int(os.environ.get("IKU_IDLE_MINUTES", "30"))),
        "IKU_SESSION_ABSOLUTE_HOURS": int(os.environ.get("IKU_SESSION_ABSOLUTE_HOURS", "12")),
        "BABEL_DEFAULT_LOCALE": "id",
        # Absolute: Flask-Babel would otherwise look for "translations" relative to the app root.
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "IKU_LANGUAGES": ("id", "en"),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": (int(os.environ.get("IKU_MAX_UPLOAD_MB", "20")) + 5) * 1024 * 1024,
        # argon2id parameters (OWASP: m=19 MiB, t=2 minimum); tests lower them for speed.
        "IKU_ARGON2": {"time_cost": 3, "memory_cost": 65536, "parallelism": 1},
    }
