"""scorecard: compile a monthly performance scorecard from departmental Excel returns."""

__version__ = "0.1.0"
