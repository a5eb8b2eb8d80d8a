"""regsecret: register Docker registry secrets in SAP AI Core from the terminal."""

__version__ = "0.1.0"
