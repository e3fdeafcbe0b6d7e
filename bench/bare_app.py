"""The bare Streamlit page the dashboard is measured against (bench/bench_browser.py).

One slider and one ``st.metric`` on its main page, as the speed goal says; a second page reached
by a ``st.page_link`` gives the bare figure of a navigation (the map's click opens a page), and
its selectbox the bare figure of a choice in a list (the map's indicator, year, product).
Start it with ``streamlit run bench/bare_app.py``; the bench does it itself.
"""

import streamlit as st


def main_page() -> None:
    value = st.slider("Curseur", min_value=0.0, max_value=10_000.0, value=3_300.0, step=100.0, key="bare")
    st.metric("Total", f"{value * 2:,.0f}".replace(",", "\u202f"))
    st.page_link(other, label="Autre page")


def other_page() -> None:
    year = st.selectbox("Année", ["2013", "2014", "2015"], index=2, key="bare_annee")
    st.metric("Autre", year)


main = st.Page(main_page, title="Accueil", default=True)
other = st.Page(other_page, title="Autre", url_path="autre")
st.navigation([main, other], position="hidden").run()
