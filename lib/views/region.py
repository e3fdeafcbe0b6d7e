"""What the region page shows before a region is drawn, built without Streamlit: the picker's
labels and the text shown while no region is chosen. The region's own figures and prose come
from ``lib.region_report``; ``lib/ui/region.py`` draws both."""

from __future__ import annotations

from collections.abc import Container, Mapping

NO_REGION_TEXT = (
    "Choisissez une région ci-dessus, ou cliquez sur une région de la carte. "
    "L'adresse de la page (par exemple …/region?region=93) peut être envoyée à un comité."
)


def picker_label(code: str, names: Mapping[str, str], priority: Container[str]) -> str:
    """« Bretagne (53) », with « — prioritaire » for a region the pact names."""
    return f"{names[code]} ({code})" + (" — prioritaire" if code in priority else "")
