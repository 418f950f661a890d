"""Forms only validate; services do the saving. One module per feature."""
