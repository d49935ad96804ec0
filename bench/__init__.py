"""`python main.py bench`: the speed, memory and accuracy figures of DESIGN.md, measured, never asserted.

Outside the app packages: scenarios may start the app's screens in a child process, and nothing here
runs when a person practises.
"""
