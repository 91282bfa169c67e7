"""Dialogue policies of our own (loaded by Rasa from config.yml)."""
