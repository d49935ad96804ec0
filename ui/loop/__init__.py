"""The mock loop screens."""
