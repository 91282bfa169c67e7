"""Custom actions of the Northwind Goods support assistant (rasa-sdk).

The action server imports every module of this package at start, so modules
here do no I/O at import time: the store opens its engine on first use.
"""
