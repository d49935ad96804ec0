"""The question bank: its typed model and loader (questions.py) and the importer of a guide written in
the seed's Markdown format (markdown.py)."""
