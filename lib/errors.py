"""The project's own error: a message in French meant to be shown to the user as is."""


class DataError(ValueError):
    """A data file or an imported extract cannot be used; ``str(err)`` is the French message."""
