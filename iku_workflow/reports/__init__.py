"""Word and Excel builders: they take plain data and return bytes."""
