"""Unit conversion for length, mass, energy, power and temperature."""

from fractions import Fraction

from rag.tools import ToolError
from rag.tools.calculator import format_number

# unit → (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, Fraction]] = {
    "mm": ("length", Fraction(1, 1000)),
    "cm": ("length", Fraction(1, 100)),
    "m": ("length", Fraction(1)),
    "km": ("length", Fraction(1000)),
    "in": ("length", Fraction(254, 10000)),
    "ft": ("length", Fraction(3048, 10000)),
    "mi": ("length", Fraction(1609344, 1000)),
    "g": ("mass", Fraction(1, 1000)),
    "kg": ("mass", Fraction(1)),
    "lb": ("mass", Fraction(45359237, 100000000)),
    "t": ("mass", Fraction(1000)),
    "wh": ("energy", Fraction(1)),
    "kwh": ("energy", Fraction(1000)),
    "mwh": ("energy", Fraction(1000000)),
    "j": ("energy", Fraction(1, 3600)),
    "w": ("power", Fraction(1)),
    "kw": ("power", Fraction(1000)),
    "hp": ("power", Fraction(7457, 10)),
}
_TEMPERATURES = {"c", "f", "k"}


def unit_convert(value: float, from_unit: str, to_unit: str) -> str:
    """Convert a quantity between units of length, mass, energy, power or temperature.

    Units: mm cm m km in ft mi, g kg lb t, Wh kWh MWh J, W kW hp, C F K.

    Args:
        value: The quantity to convert.
        from_unit: The unit it is in, e.g. "kWh".
        to_unit: The unit wanted, e.g. "MWh".
    """
    source, target = from_unit.strip().lower(), to_unit.strip().lower()
    amount = Fraction(repr(value))
    if source in _TEMPERATURES and target in _TEMPERATURES:
        kelvin = {
            "c": amount + Fraction(27315, 100),
            "k": amount,
            "f": (amount - 32) * Fraction(5, 9) + Fraction(27315, 100),
        }[source]
        result = {
            "c": kelvin - Fraction(27315, 100),
            "k": kelvin,
            "f": (kelvin - Fraction(27315, 100)) * Fraction(9, 5) + 32,
        }[target]
        return f"{format_number(result)} {to_unit}"
    if source not in _UNITS or target not in _UNITS:
        raise ToolError(f"unknown unit {from_unit if source not in _UNITS else to_unit!r}")
    (dimension, factor), (target_dimension, target_factor) = _UNITS[source], _UNITS[target]
    if dimension != target_dimension:
        raise ToolError(
            f"cannot convert {dimension} ({from_unit}) to {target_dimension} ({to_unit})"
        )
    return f"{format_number(amount * factor / target_factor)} {to_unit}"
