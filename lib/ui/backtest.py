"""Page « Mutualisation », section « Confronter le simulateur aux chiffres publiés » (Streamlit glue).

Two views, chosen by a selector that starts on nothing, so that nothing is computed until a user
asks: « Rejouer une campagne » (``lib.backtest``: the simulator on a real campaign's cited
volumes, figure by figure beside the published outcome) and « Sensibilité des entrées »
(``lib.sensitivity``: each input moved by ±10 %, the fund and a region's balance). The section is
a fragment: its widgets rerun only it. Its keys (``verif``, ``campagne``, ``sens_region``) are
bound to the URL, so an address reproduces what a presenter shows.

The sensitivity runs on the simulator's settings read when the section is drawn; the simulator
above is a fragment of its own, so after a setting changed there, the « Actualiser » button
redraws this section with the new settings (the settings used are stated).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from lib import backtest, fmt, integrity, sensitivity, targets, ui
from lib.errors import DataError
from lib.exports import to_csv_bytes, to_xlsx_bytes
from lib.geo import region_names
from lib.mutualisation import MutualisationParams
from lib.mutualisation_inputs import SCENARIOS, VolumeAssumptions, regional_keys
from lib.ui import data_check, lazy, tables, url_check
from lib.ui.charts import show_chart
from lib.ui.downloads import table_download
from lib.url_state import UrlParam, backtest_params
from lib.views.mutualisation import to_engine

KEY_MODE = "verif"
KEY_CAMPAIGN = "campagne"
KEY_REGION = "sens_region"
#: a bound widget keeps its shown label in the URL (``?verif=Sensibilité``): short labels
MODES = {"campagne": "Rejouer une campagne", "sensibilite": "Sensibilité"}
DEFAULT_REGION = "11"
TABLE_HELP = {
    "Simulé": "Résultat du simulateur sur les volumes cités de l'année d'activité de la campagne.",
    "Publié": "Chiffre publié pour la campagne ; sa nature, sa source et sa date sont à droite.",
    "Écart": "Simulé moins publié (en M€ pour les montants).",
    "Écart (%)": "Écart rapporté au chiffre publié.",
    "Date de la source": "Date de publication de la source, ou, à défaut, date à laquelle elle a été consultée.",
    "Entrées estimées en jeu": "Entrées estimées ou supposées dont dépend le chiffre simulé.",
}


@st.cache_data(show_spinner="Calcul de la campagne…", max_entries=8)
def _campaign(year: int) -> dict[str, Any]:
    res = backtest.run_campaign(year)
    return {"table": res.table, "inputs": res.inputs, "estimated": list(res.estimated_inputs)}


@st.cache_data(show_spinner="Calcul de la sensibilité…", max_entries=16)
def _tornado(volumes: dict, params: dict, year: int, region: str, scenario: str) -> pd.DataFrame:
    v = VolumeAssumptions.from_dict(volumes)
    p = MutualisationParams.from_dict(params)
    return sensitivity.tornado(v, p, year, region, sensitivity.input_natures(v, p, year), scenario)


@st.fragment
def render_section() -> None:
    """The section's heading, mode selector and the chosen view."""
    st.subheader("Confronter le simulateur aux chiffres publiés")
    years = _campaign_years()
    listed = f" ({', '.join(map(str, years))})" if years else ""
    st.caption(
        f"« Rejouer une campagne » : le simulateur sur les volumes cités d'une campagne réelle{listed}, "
        "chiffre par chiffre à côté des résultats publiés. « Sensibilité » : chaque entrée déplacée de "
        "±10 %, pour voir lesquelles pèsent le plus sur le fonds et sur le solde d'une région. Rien n'est "
        "calculé tant qu'aucune vue n'est choisie."
    )
    url_check.enforce(_url_params(years), rerun=True)
    mode = st.segmented_control("Vue", list(MODES), format_func=MODES.get, key=KEY_MODE, bind="query-params")
    try:
        if mode == "campagne":
            _render_campaign()
        elif mode == "sensibilite":
            _render_sensitivity()
    except DataError as err:
        ui.show_error(err)


def _campaign_years() -> list[int]:
    """The campaigns of the file, or none when it is missing or damaged (the view then says so)."""
    try:
        return list(backtest.load_campaigns()) if integrity.check_file(backtest.CAMPAIGNS_FILE.name) is None else []
    except DataError:
        return []


def _url_params(years: list[int]) -> list[UrlParam]:
    """The section's address parameters with their domain (the labels its widgets write)."""
    names = dict(region_names())
    regions = [names.get(c, c) for c in regional_keys(2013)["code"].astype(str)]
    return backtest_params(list(MODES.values()), years, regions)


# ---------------------------------------------------------------------------------------------
# Back-test


def _render_campaign() -> None:
    """A real campaign replayed: its headline figures, the comparison line by line, what the
    simulator does not reproduce, the inputs and rules' sources, and the downloads."""
    if not data_check.part_available("mutualisation", backtest.CAMPAIGNS_FILE.name):
        return
    campaigns = backtest.load_campaigns()
    years = list(campaigns)
    year = st.selectbox("Campagne (elle répartit les aides des investissements de l'année précédente)", years,
                        index=years.index(backtest.default_campaign(years, targets.pact_years(ui.load_params()))),
                        key=KEY_CAMPAIGN, format_func=str,
                        bind="query-params")
    c = campaigns[int(year)]
    st.markdown(f"**{ui.md_text(c.libelle)}**")
    out = _campaign(int(year))
    table: pd.DataFrame = out["table"]
    _campaign_metrics(c, table.set_index("cle"))
    _campaign_comparison(c, table, out["estimated"])
    rule_sources = _campaign_inputs(c, out["inputs"])
    _campaign_downloads(year, table, out["inputs"], rule_sources)


def _campaign_metrics(c: backtest.Campaign, by_key: pd.DataFrame) -> None:
    """The fund simulated, the fund published (with the gap) and the pact's envelope."""
    fund = by_key.loc["fonds"]
    m1, m2, m3 = st.columns(3)
    m1.metric("Fonds simulé", fmt.fmt_meur(fund["simule"]))
    if fmt.is_missing(fund["publie"]):
        m2.metric("Fonds publié", "non publié", help=backtest.NOT_FOUND)
    else:
        m2.metric("Fonds publié", fmt.fmt_meur(fund["publie"]),
                  delta=f"{fmt.fmt_signed(fund['ecart'] / 1e6, 1, 'M€')} ({fmt.fmt_signed(fund['ecart_pct'] * 100, 1, '%')})",
                  delta_color="off", delta_arrow="off", delta_description="écart simulé − publié",
                  help=f"{fund['source']} — {fund['date_source']}")
    pact = by_key.loc["enveloppe_pacte"]
    m3.metric("Enveloppe du pacte", fmt.fmt_meur(pact["publie"]),
              delta=fmt.fmt_signed(pact["ecart"] / 1e6, 1, "M€"), delta_color="off", delta_arrow="off",
              delta_description="écart simulé − pacte",
              help=backtest.pact_envelope_note(c.activite))


def _campaign_comparison(c: backtest.Campaign, table: pd.DataFrame, estimated: list[str]) -> None:
    """The campaign's rules, the comparison line by line, and what the simulator does not
    reproduce or had to estimate."""
    st.markdown(f"**Règles appliquées par la campagne.** {ui.md_text(c.regles)}")
    tables.dataframe(
        backtest.campaign_screen_table(table), hide_index=True, width="stretch", height=36 * (len(table) + 1) + 3,
        column_config={**{k: st.column_config.TextColumn(k, help=h) for k, h in TABLE_HELP.items()},
                       "Source": st.column_config.LinkColumn("Source", width="medium"),
                       "Remarque": st.column_config.TextColumn("Remarque", width="large")},
    )
    st.markdown("**Ce que le simulateur ne reproduit pas**")
    st.markdown("\n".join(f"- {ui.md_text(e)}" for e in c.ecarts))
    if estimated:
        st.markdown("**Entrées estimées ou supposées de ce calcul**")
        st.markdown("\n".join(f"- {ui.md_text(e)}" for e in estimated))
    st.caption("Un chiffre « non publié » n'a été trouvé dans aucune des sources consultées (liste dans "
               "data/SOURCES.md, « Mutualisation : résultats publiés »). Aucun réglage n'est ajusté sur les "
               "résultats publiés : ils sont seulement comparés.")


def _campaign_inputs(c: backtest.Campaign, inputs: pd.DataFrame) -> pd.DataFrame | None:
    """The replay's inputs and the sources of the campaign's rules, each in a lazy expander (built
    once opened; in this fragment, opening one reruns the fragment); returns the rules' sources
    (None when their file is unavailable) for the Excel download, open or not."""
    with lazy.expander("Entrées du calcul rejoué et leur nature", key=f"bt_entrees_{c.annee}") as shown:
        if shown:
            tables.dataframe(inputs, hide_index=True, width="stretch",
                             column_config={"D'où vient-elle": st.column_config.TextColumn(width="large")})
    rule_sources = None
    with lazy.expander("Sources des règles de la campagne", key=f"bt_sources_{c.annee}") as shown:
        if data_check.part_available("mutualisation", "sources_adresses.csv"):
            rule_sources = backtest.campaign_sources(c)  # the Excel export carries them, open or not
            if shown:
                tables.dataframe(rule_sources, hide_index=True, width="stretch",
                                 column_config={"Source": st.column_config.LinkColumn("Source")})
    return rule_sources


def _campaign_downloads(year: int, table: pd.DataFrame, inputs: pd.DataFrame,
                        rule_sources: pd.DataFrame | None) -> None:
    """The comparison as CSV, and with the inputs and the rules' sources as Excel (its sheets)."""
    export = backtest.campaign_export_frame(table)
    d1, d2 = st.columns(2)
    table_download("Télécharger la comparaison (CSV)", to_csv_bytes(export),
                   f"mutualisation_campagne_{year}_comparaison.csv", key=f"bt_csv_{year}", where=d1)
    table_download("Télécharger la comparaison et les entrées (Excel)",
                   to_xlsx_bytes({"comparaison": export, "entrees": inputs,
                                  **({} if rule_sources is None else {"sources des règles": rule_sources})}),
                   f"mutualisation_campagne_{year}.xlsx", key=f"bt_xlsx_{year}", where=d2)


# ---------------------------------------------------------------------------------------------
# Sensitivity


def _render_sensitivity() -> None:
    from lib.ui import mutualisation as mut  # imported here: lib.ui.mutualisation imports this module

    names = dict(region_names())
    regions = list(regional_keys(2013)["code"].astype(str))
    region = st.selectbox("Région dont on suit le solde", regions,
                          index=regions.index(DEFAULT_REGION) if DEFAULT_REGION in regions else 0,
                          format_func=lambda c: names.get(c, c), key=KEY_REGION, bind="query-params")
    values = mut.current_values()
    try:
        params, volumes, year, scenario = to_engine(values)
    except DataError as err:
        ui.show_error(err)
        return
    st.button("Actualiser avec les réglages actuels du simulateur", key="sens_refresh",
              help="Le simulateur se recalcule seul ; cette vue, plus lente, se recalcule à la demande.")
    if ui.imported().get("organismes") is not None:
        st.info("La sensibilité porte sur les estimations régionales par défaut, pas sur le fichier par "
                "organisme importé.", icon=":material/info:")
    st.caption(
        f"Réglages utilisés : année des clés {year}, scénario « {ui.md_text(SCENARIOS[scenario].libelle)} », "
        f"{fmt.fmt_int(volumes.production_hlm)} logements produits, {fmt.fmt_int(volumes.rehabilitation_hlm)} "
        f"réhabilités, {fmt.fmt_int(volumes.pret_moyen_rehabilitation_eur)} € de prêt par logement réhabilité. "
        f"Chaque entrée est déplacée de ±{fmt.fmt_num(sensitivity.STEP * 100)} % de sa valeur, toutes les "
        f"autres fixes ; une part nulle est portée à {fmt.fmt_num(sensitivity.ABSOLUTE_STEP * 100)} %. "
        "Les entrées estimées ou supposées sont marquées (barres claires cerclées, « — estimé » ou "
        "« — hypothèse » dans le libellé)."
    )
    df = _tornado(volumes.to_dict(), params.to_dict(), int(year), str(region), str(scenario))
    name = names.get(region, region)
    base = df.iloc[0]
    st.markdown(f"Calcul de base : fonds {fmt.fmt_meur(base['fonds_base'])}, solde de {ui.md_text(name)} "
                f"{fmt.fmt_signed(base['solde_base'] / 1e6, 1, 'M€')}.")
    # no table twin per chart: the table right below lists every bar of both charts
    sources = "Source : simulation de l'annexe 1 du pacte, entrées déplacées de ±10 % (réglages indiqués)"
    fund_title = "Fonds de mutualisation : écart au calcul de base"
    show_chart(sensitivity.tornado_chart(df, "fonds", fund_title),
               sensitivity.tornado_alt(df, "fonds", fund_title), key="sensibilite_fonds", sources=sources)
    balance_title = f"Solde net de {name} : écart au calcul de base"
    show_chart(sensitivity.tornado_chart(df, "solde", balance_title),
               sensitivity.tornado_alt(df, "solde", balance_title), key=f"sensibilite_solde_{region}", sources=sources)
    shown = sensitivity.tornado_screen_table(df, name)
    tables.dataframe(shown, hide_index=True, width="stretch", height=36 * (len(shown) + 1) + 3)
    table_download("Télécharger la sensibilité (CSV)", to_csv_bytes(sensitivity.tornado_export_frame(df, name)),
                   f"mutualisation_sensibilite_{region}.csv", key="sens_csv")
