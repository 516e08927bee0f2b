"""Seed content for a new office: the texts of the Gumukmas IKU decree of 2025, cleaned."""
