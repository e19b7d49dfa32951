"""Barium: issue uniquely marked copies of confidential documents and trace leaks to their source."""

__version__ = "0.1.0"
