"""Statistics: charts and tables of timing and structure over weeks of practice."""
