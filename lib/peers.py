"""A region against its peers: the set to compare with, the figures compared, the ranking.

A committee asks « are we doing worse than regions like us? ». The default set is the other
regions the pact names as priorities (Île-de-France, PACA, Languedoc-Roussillon) and the regions
whose social rental stock is closest to the region's (nearest on a log scale, so that « twice
as large » counts the same up or down). The user may change the set.

Each metric is computed for every region (``peer_metrics``), so that the national median
(median of the regions with a value) is the same whatever the set; a metric built on an
estimate is an estimate (natures of ``lib.targets``). No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from lib.natures import DERIVE, ESTIME, MANQUANT, weakest

#: metric -> (French label, unit, how to format: "pct" or "num")
METRICS: Mapping[str, tuple[str, str, str]] = {
    "taux": ("Réalisation de l'objectif cumulé 2013–2015", "% de l'objectif", "pct"),
    "pour_10k": ("Logements financés par an pour 10 000 habitants (2013–2015)", "pour 10 000 habitants", "num"),
    "rythme": ("Production de la dernière année rapportée au rythme nécessaire", "% du rythme", "pct"),
    "rehab_parc": ("Réhabilitations par éco-prêt 2012-2013 pour 1 000 logements sociaux", "pour 1 000 logements",
                   "num"),
}
METRIC_COLUMNS = ["code", "region", "metrique", "valeur", "nature", "note"]


def similar_stock(stock: pd.Series, code: str, n: int = 3) -> list[str]:
    """The ``n`` regions whose stock is nearest to ``code``'s (log distance; ties by code).
    Empty when the region has no stock figure."""
    s = stock.astype(float)
    s = s[s > 0]
    if code not in s.index:
        return []
    dist = (np.log(s) - np.log(s[code])).abs().drop(code)
    order = sorted(dist.index, key=lambda c: (dist[c], str(c)))
    return [str(c) for c in order[:n]]


def default_peers(code: str, priority: Sequence[str], stock: pd.Series, n_similar: int = 3) -> list[str]:
    """The other priority regions, then the regions of similar stock (no duplicates, never
    the region itself)."""
    out = [c for c in priority if c != code]
    similar = [c for c in similar_stock(stock, code, n_similar + len(priority)) if c not in out]
    out += similar[:n_similar]
    return out


def _cumulated(ach: pd.DataFrame, column: str) -> tuple[float, str]:
    vals = ach[column].astype(float)
    if vals.isna().any() or vals.empty:
        return np.nan, MANQUANT
    return float(vals.sum()), weakest(*ach[f"nature_{column}"])


def peer_metrics(achievement: pd.DataFrame, pace: pd.DataFrame, regions: pd.DataFrame, stock: pd.Series,
                 stock_natures: pd.Series, rehab: pd.DataFrame) -> pd.DataFrame:
    """Every region's metrics (``METRICS``), long frame ``METRIC_COLUMNS``.

    ``achievement`` from ``lib.targets.achievement`` (pact years), ``pace`` from
    ``lib.pace.regional_pace``, ``stock`` / ``stock_natures`` by code, ``rehab`` the retained
    regional eco-loan counts (``territoire_code``, ``periode``, ``valeur``, ``nature``).
    """
    names = regions.set_index("code")["nom"]
    pop = regions.set_index("code")["population"].astype(float)
    rh = rehab[rehab["periode"] == "2012-2013"].set_index("territoire_code")
    rows = []
    for code in regions["code"]:
        a = achievement[achievement["code"] == code]
        prod, nat_p = _cumulated(a.rename(columns={"production": "p", "nature_production": "nature_p"}), "p")
        obj, nat_o = _cumulated(a.rename(columns={"objectif": "o", "nature_objectif": "nature_o"}), "o")
        years = max(len(a), 1)
        taux = prod / obj if obj and not np.isnan(obj) else np.nan
        rows.append((code, "taux", taux, MANQUANT if np.isnan(taux) else weakest(DERIVE, nat_p, nat_o), ""))
        p10 = prod / years / pop.get(code, np.nan) * 10_000 if pop.get(code, 0) else np.nan
        rows.append((code, "pour_10k", p10, MANQUANT if pd.isna(p10) else weakest(DERIVE, nat_p), ""))
        pc = pace[(pace["code"] == code) & pace["ratio"].notna()]
        if len(pc):
            last = pc.iloc[-1]
            rows.append((code, "rythme", float(last["ratio"]), last["nature_ecart"], f"année {int(last['annee'])}"))
        else:
            rows.append((code, "rythme", np.nan, MANQUANT, ""))
        st = float(stock.get(code, np.nan))
        if code in rh.index and st > 0:
            v = float(rh.loc[code, "valeur"]) / st * 1000
            rows.append((code, "rehab_parc", v, weakest(DERIVE, rh.loc[code, "nature"],
                                                                 str(stock_natures.get(code, MANQUANT))), ""))
        else:
            rows.append((code, "rehab_parc", np.nan, MANQUANT, ""))
    out = pd.DataFrame(rows, columns=["code", "metrique", "valeur", "nature", "note"])
    out.insert(1, "region", out["code"].map(names))
    return out[METRIC_COLUMNS]


def national_median(metrics: pd.DataFrame, metric: str) -> tuple[float, str, int]:
    """Median of the regions that have a value for ``metric``: (median, nature, n regions)."""
    m = metrics[(metrics["metrique"] == metric) & metrics["valeur"].notna()]
    if m.empty:
        return np.nan, MANQUANT, 0
    return float(m["valeur"].median()), weakest(DERIVE, *m["nature"]), len(m)


def rank_peers(metrics: pd.DataFrame, code: str, peers: Iterable[str], metric: str) -> pd.DataFrame:
    """The region and its peers for ``metric``, best first: ``rang`` 1 = highest value among
    those with a value (ties share a rank), regions without a value last with no rank;
    ``selection`` marks the region itself."""
    wanted = [code] + [p for p in dict.fromkeys(peers) if p != code]
    m = metrics[(metrics["metrique"] == metric) & metrics["code"].isin(wanted)].copy()
    m["rang"] = m["valeur"].rank(ascending=False, method="min")
    m["selection"] = m["code"] == code
    m["_order"] = m["code"].map({c: i for i, c in enumerate(wanted)})
    m = m.sort_values(["rang", "_order"], na_position="last", kind="stable")
    return m.drop(columns="_order").reset_index(drop=True)


def peers_sentence(ranked: pd.DataFrame, median: float, metric: str, fmt_value) -> str:
    """« Languedoc-Roussillon se classe 3e sur 6 … ; médiane nationale : … »."""
    from lib import fmt

    me = ranked[ranked["selection"]]
    label = METRICS[metric][0].lower()
    if me.empty or pd.isna(me["rang"].iloc[0]):
        name = me["region"].iloc[0] if len(me) else "La région"
        return f"{name} : pas de valeur pour « {label} », elle n'est pas classée."
    r = me.iloc[0]
    n = int(ranked["rang"].notna().sum())
    approx = " (estimation)" if r["nature"] == ESTIME else ""
    pos = "au-dessus" if r["valeur"] > median else ("au-dessous" if r["valeur"] < median else "au niveau")
    return (
        f"{r['region']} se classe {fmt.fmt_ordinal(r['rang'], feminine=True)} sur {n} régions comparées pour "
        f"« {label} » avec {fmt_value(r['valeur'])}{approx}, {pos} de la médiane nationale "
        f"({fmt_value(median)})."
    )
