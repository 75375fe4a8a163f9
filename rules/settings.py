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

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _settings_file() -> Path:
    return Path(os.environ.get("FORECAST_SETTINGS") or "forecast.toml")


class Settings(BaseSettings):
    """Thresholds, weights and calendar of the forecast process (SPEC §4)."""

    model_config = SettingsConfigDict(env_prefix="FORECAST_", extra="ignore", frozen=True)

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
