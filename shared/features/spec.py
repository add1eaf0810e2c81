"""Feature specs: which features a model reads, as plain data recorded in its metadata.json.

A spec names each feature by kind and parameters; its column name, warm-up and the price fields
it reads follow from those alone, so the simulator rebuilds exactly the columns the trainer
built. Computing the values is ``shared.features.pipeline``'s job.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from shared.errors import ValidationError

SPEC_VERSION = 1
FIELD = "features"  # every spec error names this request/metadata field
PRICE_FIELDS = ("close", "high", "low", "volume")  # the order FeatureSpec.fields lists them in
MAX_PERIOD = 1000

Params = Mapping[str, int | float]


@dataclass(frozen=True)
class ParamDecl:
    """One parameter of a feature kind: its type, default and inclusive range."""

    name: str
    type: type[int] | type[float]
    default: int | float
    minimum: int | float
    maximum: int | float

    def check(self, kind: str, value: object) -> int | float:
        """The value as this parameter's type; wrong types and out-of-range values raise."""
        # Strict: 20.0 is not an int here, so a spec means the same thing wherever it is read.
        number: int | float | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value if self.type is int else float(value)
        elif self.type is float and isinstance(value, float) and math.isfinite(value):
            number = value
        if number is None or not self.minimum <= number <= self.maximum:
            what = "an integer" if self.type is int else "a number"
            raise ValidationError(
                f"{kind}: {self.name} must be {what} in [{self.minimum:g}, {self.maximum:g}], "
                f"got {value!r}",
                field=FIELD,
            )
        return number


@dataclass(frozen=True)
class FeatureKind:
    """What a feature kind computes, the parameters it takes and the price fields it reads."""

    name: str
    description: str
    prefix: str  # the column is the prefix followed by the parameter values
    params: tuple[ParamDecl, ...]
    fields: tuple[str, ...]
    warmup: Callable[[Params], int]  # leading NaN bars for these (resolved) params
    constraint: Callable[[Params], str | None] = lambda _p: None  # a message when params clash

    def resolve(self, given: Mapping[str, Any]) -> dict[str, int | float]:
        """Defaults filled in (in declaration order), every value checked."""
        if not isinstance(given, Mapping):
            raise ValidationError(
                f"{self.name}: params must be an object, got {type(given).__name__}",
                field=FIELD,
            )
        names = [p.name for p in self.params]
        unknown = sorted(str(k) for k in given if k not in names)
        if unknown:
            known = ", ".join(names) or "none"
            raise ValidationError(
                f"{self.name} has no parameter {unknown[0]!r}; its parameters: {known}",
                field=FIELD,
            )
        out = {p.name: p.check(self.name, given.get(p.name, p.default)) for p in self.params}
        problem = self.constraint(out)
        if problem:
            raise ValidationError(f"{self.name}: {problem}", field=FIELD)
        return out


def _period(default: int, minimum: int = 2) -> ParamDecl:
    return ParamDecl("period", int, default, minimum, MAX_PERIOD)


def _macd_clash(p: Params) -> str | None:
    if p["fast"] >= p["slow"]:
        return f"fast ({p['fast']}) must be shorter than slow ({p['slow']})"
    return None


_KINDS = (
    FeatureKind(
        "returns", "close / close `period` bars earlier - 1", "return",
        (_period(1, 1),), ("close",), lambda p: int(p["period"]),
    ),
    FeatureKind(
        "lagged_return", "the 1-bar return `lag` bars earlier", "return_1_lag",
        (ParamDecl("lag", int, 1, 1, MAX_PERIOD),), ("close",), lambda p: 1 + int(p["lag"]),
    ),
    FeatureKind(
        "sma_distance", "close / simple moving average of close - 1", "sma_distance",
        (_period(20),), ("close",), lambda p: int(p["period"]) - 1,
    ),
    FeatureKind(
        "ema_distance", "close / exponential moving average of close - 1", "ema_distance",
        (_period(20),), ("close",), lambda p: int(p["period"]) - 1,
    ),
    FeatureKind(
        "rsi", "Wilder's relative strength index / 100 (0..1)", "rsi",
        (_period(14),), ("close",), lambda p: int(p["period"]),
    ),
    FeatureKind(
        "macd", "MACD histogram / close", "macd",
        (
            ParamDecl("fast", int, 12, 2, MAX_PERIOD),
            ParamDecl("slow", int, 26, 3, MAX_PERIOD),
            ParamDecl("signal", int, 9, 1, MAX_PERIOD),
        ),
        ("close",), lambda p: int(p["slow"]) + int(p["signal"]) - 2, _macd_clash,
    ),
    FeatureKind(
        "bollinger_position",
        "where close sits in its Bollinger bands: 0 at the lower, 1 at the upper (0.5 if flat)",
        "bollinger_position",
        (_period(20), ParamDecl("nbdev", float, 2.0, 0.1, 10.0)),
        ("close",), lambda p: int(p["period"]) - 1,
    ),
    FeatureKind(
        "atr", "Wilder's average true range / close (needs real high/low)", "atr",
        (_period(14, 1),), ("close", "high", "low"), lambda p: int(p["period"]),
    ),
    FeatureKind(
        "volatility", "sample standard deviation of the last `period` 1-bar log returns",
        "volatility", (_period(20),), ("close",), lambda p: int(p["period"]),
    ),
    FeatureKind(
        "volume_zscore",
        "(volume - its mean) / its sample std over the last `period` bars (0 if flat)",
        "volume_zscore", (_period(20),), ("volume",), lambda p: int(p["period"]) - 1,
    ),
    FeatureKind(
        "day_of_week", "weekday of the bar's timestamp, Monday = 0 (in the index's time zone)",
        "day_of_week", (), (), lambda _p: 0,
    ),
    FeatureKind(
        "month", "month of the bar's timestamp, 1..12 (in the index's time zone)",
        "month", (), (), lambda _p: 0,
    ),
)  # fmt: skip
FEATURE_KINDS: dict[str, FeatureKind] = {k.name: k for k in _KINDS}


def _kind(name: object) -> FeatureKind:
    kind = FEATURE_KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ValidationError(
            f"unknown feature kind {name!r}; kinds: {', '.join(FEATURE_KINDS)}", field=FIELD
        )
    return kind


def _label(value: int | float) -> str:
    text = format(value, "g")
    return text if float(text) == value else repr(value)  # "2" for 2.0, never a rounded label


@dataclass(frozen=True)
class FeatureDef:
    """One feature: a kind and its parameters (defaults filled in, validated on creation)."""

    kind: str
    params: Params = field(default_factory=dict)

    def __post_init__(self) -> None:
        resolved = _kind(self.kind).resolve(self.params)
        object.__setattr__(
            self, "params", MappingProxyType(resolved)
        )  # read-only: it names a column

    def __hash__(self) -> int:
        return hash((self.kind, tuple(self.params.items())))

    @property
    def spec(self) -> FeatureKind:
        return FEATURE_KINDS[self.kind]

    @property
    def column(self) -> str:
        """The output column, e.g. ``sma_distance_20``, ``macd_12_26_9``, ``day_of_week``."""
        return "_".join([self.spec.prefix, *(_label(v) for v in self.params.values())])

    @property
    def warmup(self) -> int:
        """Leading bars where this feature is NaN."""
        return self.spec.warmup(self.params)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.spec.fields

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "params": dict(self.params)}


@dataclass(frozen=True)
class FeatureSpec:
    """An ordered, non-empty set of features with distinct columns."""

    features: tuple[FeatureDef, ...]

    def __post_init__(self) -> None:
        features = tuple(self.features)
        if not features:
            raise ValidationError("a feature spec needs at least one feature", field=FIELD)
        bad = [f for f in features if not isinstance(f, FeatureDef)]
        if bad:
            raise ValidationError(f"not a FeatureDef: {bad[0]!r}", field=FIELD)
        seen: set[str] = set()
        for f in features:
            if f.column in seen:
                raise ValidationError(
                    f"feature {f.column} is listed twice; keep one of them", field=FIELD
                )
            seen.add(f.column)
        object.__setattr__(self, "features", features)

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.features]

    @property
    def warmup(self) -> int:
        """Bars before every feature is defined (the first complete row is at this position)."""
        return max(f.warmup for f in self.features)

    @property
    def fields(self) -> tuple[str, ...]:
        """Price fields read, e.g. ``("close", "high", "low")``; the index is always read."""
        used = {name for f in self.features for name in f.fields}
        return tuple(name for name in PRICE_FIELDS if name in used)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"version": 1, "features": [{"kind": ..., "params": {...}}, ...]}``."""
        return {"version": SPEC_VERSION, "features": [f.to_dict() for f in self.features]}

    @classmethod
    def from_dict(cls, data: object) -> FeatureSpec:
        """Strict inverse of ``to_dict``: anything unknown, mistyped or out of range raises."""
        if not isinstance(data, Mapping):
            raise ValidationError("a feature spec must be an object", field=FIELD)
        extra = sorted(str(k) for k in data if k not in ("version", "features"))
        if extra:
            raise ValidationError(
                f"unknown key {extra[0]!r} in the feature spec; keys: version, features",
                field=FIELD,
            )
        version = data.get("version", SPEC_VERSION)
        if version != SPEC_VERSION or isinstance(version, bool):
            raise ValidationError(
                f"feature spec version {version!r} is not supported; this build reads "
                f"version {SPEC_VERSION}",
                field=FIELD,
            )
        items = data.get("features")
        if not isinstance(items, list | tuple):
            raise ValidationError("features must be a list of {kind, params} objects", field=FIELD)
        return cls(tuple(_feature_from_dict(i, item) for i, item in enumerate(items)))


def _feature_from_dict(position: int, item: object) -> FeatureDef:
    where = f"features[{position}]"
    if not isinstance(item, Mapping):
        raise ValidationError(f"{where} must be an object with kind and params", field=FIELD)
    extra = sorted(str(k) for k in item if k not in ("kind", "params"))
    if extra:
        raise ValidationError(f"{where}: unknown key {extra[0]!r}; keys: kind, params", field=FIELD)
    try:
        return FeatureDef(item.get("kind"), item.get("params", {}))  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc.detail}", field=FIELD) from None


def default_feature_spec() -> FeatureSpec:
    """Close-only features (no volume, no high/low), so any symbol can use them."""
    return FeatureSpec(
        (
            FeatureDef("returns", {"period": 1}),
            *(FeatureDef("lagged_return", {"lag": lag}) for lag in (1, 2, 3)),
            FeatureDef("sma_distance", {"period": 10}),
            FeatureDef("sma_distance", {"period": 50}),
            FeatureDef("ema_distance", {"period": 20}),
            FeatureDef("rsi", {"period": 14}),
            FeatureDef("macd"),
            FeatureDef("bollinger_position", {"period": 20}),
            FeatureDef("volatility", {"period": 20}),
            FeatureDef("day_of_week"),
        )
    )


def describe_kinds() -> list[dict[str, Any]]:
    """Every feature kind with its parameters, JSON-ready (for an API that lists them)."""
    return [
        {
            "kind": kind.name,
            "description": kind.description,
            "fields": list(kind.fields),
            "params": [
                {
                    "name": p.name,
                    "type": p.type.__name__,
                    "default": p.default,
                    "min": p.minimum,
                    "max": p.maximum,
                }
                for p in kind.params
            ],
        }
        for kind in FEATURE_KINDS.values()
    ]
