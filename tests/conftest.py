"""Settings every test shares."""

import os

from lib.charts import CHECK_ENV

# every chart the tests draw is checked against the Vega-Lite schema (lib.charts.to_spec skips
# the check on a user's run); inherited by the servers the browser tests start
os.environ[CHECK_ENV] = "1"
