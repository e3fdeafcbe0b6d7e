"""The mutualisation of annex 1 of the State–HLM pact (8 July 2013) as a pure engine.

Annex 1 « Calcul des aides » gives each HLM body, for the loans it signed in the year:
  - an aid per new PLUS/PLAI dwelling, higher in zones 1 and 1 bis than in zones 2 and 3;
  - a share (5 % in 2013) of the CDC eco-loans and PAM loans signed;
  - an aid per dwelling demolished or heavily restructured in slack areas, « dans la limite de
    5 000 logements démolis ou restructurés par an, soit 3 M€ ».
Annex 1 « Calcul des contributions »: the total of aids, « augmentées des éventuels frais de
gestion », is covered by a contribution split 25 % on the latest CGLLS dues, 50 % on rents and
charges, 25 % on the number of dwellings and foyer units.
Annex 1 « Organismes concernés »: bodies under a CGLLS recovery or consolidation plan pay no
contribution; the first year they still receive aids.

Where the pact is silent, this module decides and says so:
  - the 5 000-dwelling cap: when the dwellings submitted in a year exceed it, every unit's
    restructuring aid is scaled by the same factor ``plafond / total`` (pro-rata of its
    dwellings), so the year's restructuring aids equal exactly ``aide × plafond``;
  - exemption is carried per unit as ``part_exoneree`` in [0, 1], the share of the unit's bases
    and activity belonging to exempt bodies (1 for an exempt body, 0 for a contributor; at
    region level, the share of the region's bodies under a CGLLS plan). The exempt share pays
    nothing unless ``exoneres_cotisent``, and receives its aids only if
    ``exoneres_recoivent_aides``;
  - management fees are added to the aids of each year and shared like them;
  - each year (``annee`` column, if any) is balanced on its own, with the cap applied per year.

Units may be regions (the shipped defaults) or HLM bodies (an imported file); ``region_code``
lets ``aggregate_by_region`` sum bodies into regions. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from lib.errors import DataError

# ---------------------------------------------------------------------------------------------
# Parameters

SHARE_FIELDS = ("part_loyers", "part_patrimoine", "part_cotisation_cglls")
BOOL_FIELDS = ("exoneres_cotisent", "exoneres_recoivent_aides")
#: tolerance on the sum of the split shares (they are entered as percentages)
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class MutualisationParams:
    """Every number of annex 1 that a user can move (defaults come from the parameter file)."""

    aide_zone_1_1bis_eur: float
    aide_zone_2_3_eur: float
    taux_rehabilitation: float
    aide_restructuration_eur: float
    plafond_restructuration_logements: float
    part_loyers: float
    part_patrimoine: float
    part_cotisation_cglls: float
    frais_gestion_eur: float = 0.0
    exoneres_cotisent: bool = False
    exoneres_recoivent_aides: bool = True

    @classmethod
    def from_pact(cls, year: int = 2013) -> MutualisationParams:
        """The values in force for ``year`` in data/pacte_parametres.yaml."""
        from lib.params import load_params

        params = load_params()
        values = {name: params[path].value(year) for name, path in pact_paths().items()}
        return cls.from_dict(values)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> MutualisationParams:
        """Build from a mapping (saved scenario, URL); unknown keys are ignored."""
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            raw = values[f.name]
            if f.name in BOOL_FIELDS:
                kwargs[f.name] = _as_bool(raw, f.name)
            else:
                try:
                    kwargs[f.name] = float(raw)
                except (TypeError, ValueError) as exc:
                    raise DataError(f"Paramètre « {f.name} » : valeur numérique attendue, reçu « {raw} ».") from exc
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def replace(self, **changes: Any) -> MutualisationParams:
        return replace(self, **changes)

    def validate(self) -> MutualisationParams:
        """Raise DataError (French) if the parameters cannot describe annex 1."""
        for f in fields(self):
            if f.name in BOOL_FIELDS:
                continue
            v = getattr(self, f.name)
            if not np.isfinite(v) or v < 0:
                raise DataError(f"Paramètre « {f.name} » : valeur positive ou nulle attendue ({v}).")
        for name in SHARE_FIELDS:
            if getattr(self, name) > 1 + SHARE_TOLERANCE:
                raise DataError(f"La part « {name} » dépasse 100 %.")
        total = sum(getattr(self, name) for name in SHARE_FIELDS)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise DataError(
                "Les parts de la cotisation (loyers, patrimoine, cotisation CGLLS) doivent "
                f"totaliser 100 % ; elles totalisent {total * 100:.1f} %".replace(".", ",")
                + "."
            )
        if self.taux_rehabilitation > 1:
            raise DataError("Le taux d'aide à la réhabilitation ne peut pas dépasser 100 %.")
        return self


def pact_paths() -> Mapping[str, str]:
    """Engine field -> its dotted path in data/pacte_parametres.yaml: every leaf a user can move
    (one with a ``controle`` block) is a field of ``MutualisationParams`` of the same name."""
    from lib.params import load_params

    paths = {path.rsplit(".", 1)[-1]: path for path, p in load_params().items() if p.controle is not None}
    names = [f.name for f in fields(MutualisationParams)]
    if sorted(paths) != sorted(names):
        raise DataError("Le fichier des paramètres du pacte ne décrit pas les paramètres de la mutualisation : "
                        f"attendus {', '.join(names)} ; trouvés {', '.join(paths) or 'aucun'}.")
    return MappingProxyType({name: paths[name] for name in names})


def _as_bool(raw: Any, name: str) -> bool:
    if isinstance(raw, (bool, np.bool_)):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in {"1", "true", "vrai", "oui", "yes"}:
        return True
    if text in {"0", "false", "faux", "non", "no"}:
        return False
    raise DataError(f"Paramètre « {name} » : oui/non attendu, reçu « {raw} ».")


# ---------------------------------------------------------------------------------------------
# Inputs

#: volume and base columns every unit must have (French domain words, units in the names)
INPUT_COLUMNS: Mapping[str, str] = {
    "logements_zone_1_1bis": "Nouveaux logements PLUS/PLAI en zone 1 ou 1 bis (prêts signés)",
    "logements_zone_2_3": "Nouveaux logements PLUS/PLAI en zone 2 ou 3 (prêts signés)",
    "prets_rehabilitation_eur": "Montant des éco-prêts et prêts PAM signés (€)",
    "logements_restructures": "Logements démolis ou restructurés lourdement en zone détendue",
    "loyers_eur": "Loyers et redevances pris en compte pour la cotisation CGLLS (€)",
    "patrimoine_logements": "Logements locatifs et unités de logements-foyers",
    "cotisation_cglls_eur": "Cotisation la plus récente due à la CGLLS (€)",
}
ID_COLUMNS = ("code", "nom", "region_code", "annee")

AID_COLUMNS = (
    "aide_zone_1_1bis_eur",
    "aide_zone_2_3_eur",
    "aide_rehabilitation_eur",
    "aide_restructuration_eur",
)
CONTRIBUTION_COLUMNS = (
    "contribution_loyers_eur",
    "contribution_patrimoine_eur",
    "contribution_cglls_eur",
)
#: contribution column -> (share parameter, base column)
_BASES = {
    "contribution_loyers_eur": ("part_loyers", "loyers_eur"),
    "contribution_patrimoine_eur": ("part_patrimoine", "patrimoine_logements"),
    "contribution_cglls_eur": ("part_cotisation_cglls", "cotisation_cglls_eur"),
}
BASE_LABELS = {
    "loyers_eur": "loyers",
    "patrimoine_logements": "patrimoine",
    "cotisation_cglls_eur": "cotisation CGLLS",
}
RESULT_COLUMNS = (
    *AID_COLUMNS,
    "aide_totale_eur",
    *CONTRIBUTION_COLUMNS,
    "contribution_totale_eur",
    "solde_net_eur",
)
STATUT_BENEFICIAIRE = "bénéficiaire net"
STATUT_CONTRIBUTEUR = "contributeur net"
STATUT_NEUTRE = "neutre"


def validate_inputs(inputs: pd.DataFrame) -> pd.DataFrame:
    """Check and normalise the unit table; return a new frame with the engine's columns only
    (identifiers, inputs, ``part_exoneree``). The argument is not modified."""
    if not isinstance(inputs, pd.DataFrame):
        raise DataError("Les données d'entrée de la mutualisation doivent être un tableau.")
    missing = [c for c in ("code", *INPUT_COLUMNS) if c not in inputs.columns]
    if missing:
        raise DataError("Colonnes manquantes dans les données de mutualisation : " + ", ".join(missing) + ".")
    n = len(inputs)
    code = inputs["code"].astype(str).to_numpy()
    cols: dict[str, Any] = {
        "code": code,
        "nom": inputs["nom"].to_numpy() if "nom" in inputs.columns else code,
        "region_code": inputs["region_code"].astype(str).to_numpy() if "region_code" in inputs.columns else code,
        "annee": inputs["annee"].to_numpy() if "annee" in inputs.columns else np.zeros(n, dtype=int),
    }
    if len(set(zip(code.tolist(), np.asarray(cols["annee"]).tolist()))) < n:  # cheap check first
        dup = pd.DataFrame({"code": code, "annee": cols["annee"]}).duplicated()
        raise DataError(
            "Unités en double dans les données de mutualisation : "
            + ", ".join(sorted(set(code[dup.to_numpy()]))[:5])
            + "."
        )
    for col in INPUT_COLUMNS:
        series = inputs[col]
        if series.dtype.kind in "fiu":  # already numbers: no parsing
            values = series.to_numpy(dtype=float, na_value=np.nan)
        else:
            values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            codes = ", ".join(code[bad][:5])
            raise DataError(f"« {INPUT_COLUMNS[col]} » : valeur manquante ou négative pour {codes}.")
        cols[col] = values
    if "part_exoneree" in inputs.columns:
        e = pd.to_numeric(inputs["part_exoneree"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        e = np.zeros(n)
    if (~np.isfinite(e) | (e < 0) | (e > 1)).any():
        raise DataError("« part_exoneree » doit être comprise entre 0 et 1 (0 % à 100 %).")
    cols["part_exoneree"] = e
    return pd.DataFrame(cols)


# ---------------------------------------------------------------------------------------------
# Engine


@dataclass(frozen=True)
class MutualisationResult:
    """Per-unit aids, contributions and balance, plus totals (all amounts in euros)."""

    units: pd.DataFrame
    totals: Mapping[str, float]
    by_year: pd.DataFrame
    params: MutualisationParams


def restructuring_scale(submitted: float, plafond: float) -> float:
    """Factor applied to every unit's restructuring aid: 1 under the cap, ``plafond/total`` above.

    Annex 1 caps the aid at 5 000 dwellings a year (3 M€) without saying how the cap is shared;
    we share it pro-rata of the dwellings submitted, so the envelope is never exceeded and no
    unit is favoured by the order in which dwellings are counted.
    """
    if submitted <= plafond or submitted <= 0:
        return 1.0
    return plafond / submitted


def simulate(inputs: pd.DataFrame, params: MutualisationParams) -> MutualisationResult:
    """Run annex 1 on ``inputs`` (one row per unit and year) with ``params``.

    Returns a new frame: identifiers, inputs, aids by kind, contribution by base, net balance
    (aids − contribution: positive = net beneficiary) and status.
    """
    params.validate()
    df = validate_inputs(inputs)
    n = len(df)
    e = df["part_exoneree"].to_numpy(float)
    # share of each unit that receives aids / pays the contribution
    aid_share = 1.0 - e * (0.0 if params.exoneres_recoivent_aides else 1.0)
    pay_share = 1.0 - e * (0.0 if params.exoneres_cotisent else 1.0)
    col = {c: df[c].to_numpy(float) for c in INPUT_COLUMNS}
    restr = col["logements_restructures"] * aid_share

    out = {
        "aide_zone_1_1bis_eur": col["logements_zone_1_1bis"] * params.aide_zone_1_1bis_eur * aid_share,
        "aide_zone_2_3_eur": col["logements_zone_2_3"] * params.aide_zone_2_3_eur * aid_share,
        "aide_rehabilitation_eur": col["prets_rehabilitation_eur"] * params.taux_rehabilitation * aid_share,
        "aide_restructuration_eur": np.zeros(n),
    }
    for c in CONTRIBUTION_COLUMNS:
        out[c] = np.zeros(n)
    bases = {c: col[base_col] * pay_share for c, (_, base_col) in _BASES.items()}

    years = df["annee"].to_numpy()
    unique_years = pd.unique(years)
    year_rows = []
    for year in unique_years:
        idx = slice(None) if len(unique_years) == 1 else np.flatnonzero(years == year)
        year_rows.append(_settle_year(out, bases, restr, idx, year, params))

    res = _units_frame(df, out)
    by_year, totals = _year_totals(year_rows)
    return MutualisationResult(units=res, totals=totals, by_year=by_year, params=params)


def _settle_year(out: dict[str, np.ndarray], bases: Mapping[str, np.ndarray], restr: np.ndarray, idx, year,
                 params: MutualisationParams) -> dict[str, Any]:
    """One year of annex 1, for the rows ``idx``: the restructuring limit applies to the year's
    submissions, then the year's fund is shared out over each base. Fills ``out`` in place and
    returns the year's row."""
    submitted = float(restr[idx].sum())
    scale = restructuring_scale(submitted, params.plafond_restructuration_logements)
    out["aide_restructuration_eur"][idx] = restr[idx] * params.aide_restructuration_eur * scale
    aids = float(sum(out[c][idx].sum() for c in AID_COLUMNS))
    fund = aids + params.frais_gestion_eur
    for c, (share_name, base_col) in _BASES.items():
        part = fund * getattr(params, share_name)
        base = bases[c][idx]
        base_total = float(base.sum())
        if part <= 0:
            continue
        if base_total <= 0:
            raise DataError(
                f"Aucun organisme cotisant n'a de {BASE_LABELS[base_col]} pour l'année "
                f"{year if year else 'simulée'} : la part correspondante de la cotisation "
                "ne peut pas être répartie (mettez cette part à 0 % ou complétez les données)."
            )
        out[c][idx] = part * base / base_total
    return {
        "annee": year,
        "logements_restructures_soumis": submitted,
        "coefficient_plafond": scale,
        **{c: float(out[c][idx].sum()) for c in (*AID_COLUMNS, *CONTRIBUTION_COLUMNS)},
        "frais_gestion_eur": params.frais_gestion_eur,
    }


def _units_frame(df: pd.DataFrame, out: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Each unit's inputs, aids, contributions, net balance and status."""
    aide_totale = sum(out[c] for c in AID_COLUMNS)
    contribution_totale = sum(out[c] for c in CONTRIBUTION_COLUMNS)
    solde = aide_totale - contribution_totale
    return pd.DataFrame(
        {
            **{c: df[c].to_numpy() for c in (*ID_COLUMNS, *INPUT_COLUMNS, "part_exoneree")},
            **{c: out[c] for c in AID_COLUMNS},
            "aide_totale_eur": aide_totale,
            **{c: out[c] for c in CONTRIBUTION_COLUMNS},
            "contribution_totale_eur": contribution_totale,
            "solde_net_eur": solde,
            "statut": _statut_array(solde),
        }
    )


def _year_totals(year_rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, dict[str, float]]:
    """The table by year (with its totals and the fund) and the totals over all years."""
    for row in year_rows:
        row["aide_totale_eur"] = sum(row[c] for c in AID_COLUMNS)
        row["contribution_totale_eur"] = sum(row[c] for c in CONTRIBUTION_COLUMNS)
        row["fonds_total_eur"] = row["aide_totale_eur"] + row["frais_gestion_eur"]
    by_year = pd.DataFrame(year_rows)
    totals = {c: float(sum(r[c] for r in year_rows)) for c in year_rows[0] if c.endswith("_eur")} if year_rows else {}
    totals["logements_restructures_soumis"] = float(sum(r["logements_restructures_soumis"] for r in year_rows))
    return by_year, totals


def _statut_array(solde: np.ndarray, tolerance_eur: float = 0.5) -> np.ndarray:
    return np.select(
        [solde > tolerance_eur, solde < -tolerance_eur],
        [STATUT_BENEFICIAIRE, STATUT_CONTRIBUTEUR],
        STATUT_NEUTRE,
    )


def statut(solde: pd.Series, tolerance_eur: float = 0.5) -> pd.Series:
    """Net beneficiary (receives more than it pays), net contributor, or neutral (|solde| < 0,5 €)."""
    return pd.Series(_statut_array(solde.to_numpy(float), tolerance_eur), index=solde.index)


def aggregate_by_region(result: MutualisationResult, by_year: bool = False) -> pd.DataFrame:
    """Sum units (HLM bodies or regions) into regions; one row per region (and year)."""
    units = result.units
    keys = ["region_code", "annee"] if by_year else ["region_code"]
    numeric = [*INPUT_COLUMNS, *RESULT_COLUMNS]
    if not units.duplicated(keys).any():  # one unit per region (the regional defaults): no sums
        agg = units[[*keys, *numeric]].sort_values(keys, kind="stable").reset_index(drop=True)
        agg["unites"] = 1
    else:
        agg = units.groupby(keys, sort=True, as_index=False)[numeric].sum()
        agg["unites"] = units.groupby(keys, sort=True).size().to_numpy()
    agg["statut"] = statut(agg["solde_net_eur"])
    return agg


def count_by_statut(table: pd.DataFrame) -> dict[str, int]:
    """How many net contributors, net beneficiaries and neutral units a table holds."""
    counts = table["statut"].value_counts()
    return {s: int(counts.get(s, 0)) for s in (STATUT_CONTRIBUTEUR, STATUT_BENEFICIAIRE, STATUT_NEUTRE)}


# ---------------------------------------------------------------------------------------------
# Goal-seek

#: parameters the fund total depends on, with the bounds the search may explore
GOALSEEK_FIELDS: Mapping[str, tuple[float, float]] = {
    "aide_zone_1_1bis_eur": (0.0, 50_000.0),
    "aide_zone_2_3_eur": (0.0, 50_000.0),
    "taux_rehabilitation": (0.0, 1.0),
    "aide_restructuration_eur": (0.0, 50_000.0),
    "plafond_restructuration_logements": (0.0, 1_000_000.0),
    "frais_gestion_eur": (0.0, 1e10),
}


@dataclass(frozen=True)
class GoalSeekResult:
    field: str
    value: float
    fund_eur: float
    target_eur: float
    reachable: bool
    message: str


def fund_total(inputs: pd.DataFrame, params: MutualisationParams) -> float:
    return simulate(inputs, params).totals["fonds_total_eur"]


def goal_seek(
    inputs: pd.DataFrame,
    params: MutualisationParams,
    field: str,
    target_eur: float,
    bounds: tuple[float, float] | None = None,
    tolerance_eur: float = 1.0,
    max_iter: int = 200,
) -> GoalSeekResult:
    """Value of one parameter that brings the fund total to ``target_eur``.

    The fund is non-decreasing in every goal-seek parameter (aids are volumes × rates, the cap
    only limits), so bisection between the bounds always converges when the target lies between
    the fund at the lower and the upper bound; otherwise the nearest bound is returned with
    ``reachable=False`` and a French message.
    """
    if field not in GOALSEEK_FIELDS:
        raise DataError(f"Paramètre « {field} » non ajustable par la recherche de valeur cible.")
    lo, hi = bounds or GOALSEEK_FIELDS[field]
    df = validate_inputs(inputs)

    def f(x: float) -> float:
        return fund_total(df, params.replace(**{field: float(x)}))

    f_lo, f_hi = f(lo), f(hi)
    if target_eur <= f_lo + tolerance_eur:
        ok = abs(target_eur - f_lo) <= tolerance_eur
        msg = "" if ok else "Cible inférieure au fonds obtenu même avec la valeur minimale."
        return GoalSeekResult(field, lo, f_lo, target_eur, ok, msg)
    if target_eur >= f_hi - tolerance_eur:
        ok = abs(target_eur - f_hi) <= tolerance_eur
        msg = "" if ok else "Cible supérieure au fonds obtenu même avec la valeur maximale."
        return GoalSeekResult(field, hi, f_hi, target_eur, ok, msg)
    # fund is affine in most parameters: try the secant first, then bisect
    x = lo + (target_eur - f_lo) * (hi - lo) / (f_hi - f_lo)
    fx = f(x)
    for _ in range(max_iter):
        if abs(fx - target_eur) <= tolerance_eur:
            break
        if fx < target_eur:
            lo, f_lo = x, fx
        else:
            hi, f_hi = x, fx
        x = (lo + hi) / 2
        fx = f(x)
    ok = abs(fx - target_eur) <= tolerance_eur
    return GoalSeekResult(field, x, fx, target_eur, ok, "" if ok else "Pas de convergence.")
