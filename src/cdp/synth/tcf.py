"""IAB TCF v2.2 TC strings: encoding the core segment, and reading its
purposes back.

The generator writes real, decodable TC strings so that the consent layer
can be built and tested on what a CMP actually stores. Only the core
segment is written (version 2, TCF policy version 4 = TCF v2.2); Created
and LastUpdated are day-granular as the policy requires, so one string per
(choice, day, language) covers every visitor.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, date, datetime

CMP_ID = 300
CMP_VERSION = 2
VENDOR_LIST_VERSION = 82
POLICY_VERSION = 4  # TCF v2.2
PUBLISHER_CC = "NL"
# Vendors the banner asks about (Google is 755); consented ones are set.
VENDORS = (2, 4, 21, 25, 32, 45, 52, 68, 91, 755)
# Version, Created and LastUpdated take 78 bits: the first 13 characters.
DAY_CHARS = 13


@dataclass(frozen=True)
class Choice:
    """A banner outcome: TCF purposes consented, and the matching Google
    Consent Mode v2 values."""

    name: str
    purposes: tuple[int, ...]
    consent_mode: dict[str, str]

    @property
    def legitimate_interest(self) -> tuple[int, ...]:
        # Legitimate interest is never a basis for purposes 3-6 (policy).
        return tuple(p for p in (2, 7, 8, 9, 10) if p not in self.purposes)


def _mode(
    ad: str,
    analytics: str,
    user_data: str,
    personalization: str,
    personalization_storage: str = "denied",
) -> dict[str, str]:
    return {
        "ad_storage": ad,
        "analytics_storage": analytics,
        "ad_user_data": user_data,
        "ad_personalization": personalization,
        "functionality_storage": "granted",
        "personalization_storage": personalization_storage,
        "security_storage": "granted",
    }


G, D = "granted", "denied"
CHOICES: tuple[Choice, ...] = (
    Choice("accept_all", tuple(range(1, 12)), _mode(G, G, G, G, G)),
    Choice("reject_all", (), _mode(D, D, D, D)),
    Choice("analytics_only", (1, 7, 8, 9, 10), _mode(D, G, D, D)),
    Choice("no_personalised_ads", (1, 2, 7, 8, 9, 10, 11), _mode(G, G, G, D)),
    Choice("personalisation_only", (1, 5, 6, 7, 8, 11), _mode(D, G, D, D, G)),
)
# Share of EEA (and Canadian) visitors making each choice.
CHOICE_WEIGHTS = (0.55, 0.22, 0.10, 0.08, 0.05)


class _Bits:
    def __init__(self) -> None:
        self.bits: list[str] = []

    def add(self, value: int, width: int) -> None:
        if value < 0 or value >= 1 << width:
            raise ValueError(f"{value} does not fit in {width} bits")
        self.bits.append(format(value, f"0{width}b"))

    def flags(self, chosen: tuple[int, ...], width: int) -> None:
        self.bits.append(
            "".join("1" if i in chosen else "0" for i in range(1, width + 1))
        )

    def letters(self, text: str) -> None:
        for letter in text.upper():
            self.add(ord(letter) - ord("A"), 6)

    def base64url(self) -> str:
        joined = "".join(self.bits)
        joined += "0" * (-len(joined) % 8)
        raw = int(joined, 2).to_bytes(len(joined) // 8, "big") if joined else b""
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _vendor_section(bits: _Bits, vendors: tuple[int, ...]) -> None:
    """Vendor ids as range entries (one entry per vendor)."""
    bits.add(max(vendors, default=0), 16)
    bits.add(1, 1)  # range encoding
    bits.add(len(vendors), 12)
    for vendor in vendors:
        bits.add(0, 1)  # a single id, not a range
        bits.add(vendor, 16)


def encode(choice: Choice, day: date, language: str) -> str:
    """The core-segment TC string of `choice` made on `day`."""
    deciseconds = int(
        datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 10
    )
    bits = _Bits()
    bits.add(2, 6)
    bits.add(deciseconds, 36)
    bits.add(deciseconds, 36)
    bits.add(CMP_ID, 12)
    bits.add(CMP_VERSION, 12)
    bits.add(1, 6)
    bits.letters(language)
    bits.add(VENDOR_LIST_VERSION, 12)
    bits.add(POLICY_VERSION, 6)
    bits.add(1, 1)  # service-specific
    bits.add(0, 1)
    bits.flags((), 12)  # no special features
    bits.flags(choice.purposes, 24)
    bits.flags(choice.legitimate_interest, 24)
    bits.add(0, 1)
    bits.letters(PUBLISHER_CC)
    consented = VENDORS if choice.purposes else ()
    _vendor_section(bits, consented)
    _vendor_section(bits, VENDORS if choice.legitimate_interest else ())
    bits.add(0, 12)  # no publisher restrictions
    return bits.base64url()


def consented_purposes(tc_string: str) -> tuple[int, ...]:
    """Purposes with consent in a TC string's core segment."""
    core = tc_string.split(".")[0]
    raw = base64.urlsafe_b64decode(core + "=" * (-len(core) % 4))
    bits = "".join(format(byte, "08b") for byte in raw)
    # Purposes follow 152 bits of header fields, 2 flags and 12 special
    # feature bits.
    start = 6 + 36 + 36 + 12 + 12 + 6 + 12 + 12 + 6 + 1 + 1 + 12
    field = bits[start : start + 24]
    return tuple(i + 1 for i, bit in enumerate(field) if bit == "1")
