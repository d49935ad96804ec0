"""Browsing the bank: the searchable question list and the selected question's guidance and reference answer."""
