"""The one typed settings object: defaults from the SPEC, overridable by a TOML
file (`forecast.toml`, or the path in $FORECAST_SETTINGS) and by environment
variables such as FORECAST_COVERAGE_THRESHOLD=1.8 or
FORECAST_STAGE_WEIGHTS='{"L Potential": 0.2}'.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _settings_file() -> Path:
    return Path(os.environ.get("FORECAST_SETTINGS") or "forecast.toml")


class DeliverySettings(BaseModel):
    """How alert messages leave the outbox: SMTP e-mail and group-chat webhooks.

    In TOML this is the `[delivery]` table; in the environment each field is
    FORECAST_DELIVERY__<FIELD>, e.g. FORECAST_DELIVERY__SMTP_HOST=mail.example.com.
    """

    model_config = ConfigDict(frozen=True)

    smtp_host: str = Field(
        default="localhost", description="SMTP server that sends alert e-mail."
    )
    smtp_port: int = Field(
        default=25, ge=1, le=65535, description="Port of the SMTP server."
    )
    smtp_starttls: bool = Field(
        default=False,
        description="Upgrade the SMTP connection with STARTTLS before sending.",
    )
    smtp_user: str | None = Field(
        default=None,
        description="SMTP login name; leave unset for a relay that needs none.",
    )
    smtp_password: SecretStr | None = Field(
        default=None,
        description="SMTP password; prefer the environment variable FORECAST_DELIVERY__SMTP_PASSWORD.",
    )
    smtp_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Seconds to wait for the SMTP server before an attempt fails.",
    )
    sender: str = Field(
        default="forecast@localhost", description="From address of alert e-mail."
    )
    pdca_mailbox: str | None = Field(
        default=None,
        description="E-mail address of the business-analysis PDCA mailbox (low_coverage, low_accuracy alerts).",
    )
    webhooks: dict[str, str] = Field(
        default_factory=dict,
        description="Group-chat webhook URL per track; alerts of that track are posted there too.",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Seconds to wait for a webhook before an attempt fails.",
    )
    retry_base_seconds: int = Field(
        default=60,
        ge=1,
        description="Wait after the first failed attempt; doubled after each further failure.",
    )
    retry_max_seconds: int = Field(
        default=6 * 3600,
        ge=1,
        description="Longest wait between two attempts of one message.",
    )


class Settings(BaseSettings):
    """Thresholds, weights and calendar of the forecast process (SPEC §4)."""

    model_config = SettingsConfigDict(
        env_prefix="FORECAST_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    stage_weights: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "L Potential": Decimal("0.25"),
            "M Potential": Decimal("0.50"),
            "H Potential": Decimal("0.75"),
        },
        description="Weight of an opportunity's forecast in the weighted pipeline, by stage.",
    )
    coverage_threshold: Decimal = Field(
        Decimal("1.5"),
        description="Coverage (weighted pipeline ÷ gap) at or above which a track is healthy.",
    )
    accuracy_threshold: Decimal = Field(
        Decimal("0.85"),
        description="Weighted forecast accuracy below which a low_accuracy alert is raised.",
    )
    accuracy_weights: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "opportunity": Decimal("0.2"),
            "mold_development": Decimal("0.3"),
            "mass_production": Decimal("0.5"),
        },
        description="Weights of the three stages in the weighted forecast accuracy.",
    )
    check_day: int = Field(
        25,
        ge=1,
        le=28,
        description="Day of the month from which a deal booking this month needs an H Potential quote.",
    )
    handling_days: int = Field(
        2,
        ge=0,
        description="Days a track director has to handle an alert, and an admin to execute an approved migration.",
    )

    lockout_failures: int = Field(
        5,
        ge=1,
        description="Failed sign-ins within the lock-out window that lock an account.",
    )
    lockout_window_minutes: int = Field(
        15,
        ge=1,
        description="Minutes within which the failed sign-ins are counted.",
    )
    lockout_minutes: int = Field(
        15,
        ge=1,
        description="Minutes an account stays locked after the last of those failures.",
    )
    session_idle_minutes: int = Field(
        30,
        ge=1,
        description="Idle minutes after which a dashboard session signs out.",
    )

    delivery: DeliverySettings = Field(
        default_factory=DeliverySettings,
        description="Alert delivery by e-mail and group-chat webhook through the outbox.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Precedence: explicit arguments, then environment, then the TOML file.
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_settings_file())
        return (init_settings, env_settings, toml)


def load_settings(**overrides: Any) -> Settings:
    """Settings from defaults, the TOML file and the environment, plus overrides."""
    return Settings(**overrides)
