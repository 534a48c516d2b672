"""Streamlit-only helpers: texts in two languages, navigation, the live-training panel, shared widgets."""
