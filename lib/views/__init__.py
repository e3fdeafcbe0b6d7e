"""Pure view-models of the pages: what each page shows, computed without Streamlit.

``lib/ui/<page>.py`` only draws what ``lib/views/<page>.py`` returns; these modules are tested
directly (no AppTest), like the rest of ``lib/`` outside ``lib/ui/``.
"""
