"""The project's own errors: a message in French meant to be shown to the user as is.

Every error class of ``lib`` derives from ``DataError``, so a page needs one ``except DataError``
(and ``lib.ui.show_error`` one ``isinstance``) to show any of them in French.
"""


class DataError(ValueError):
    """A data file or an imported extract cannot be used; ``str(err)`` is the French message."""
