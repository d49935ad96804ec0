"""One practice from question to saved attempt (session.py), a saved attempt as the screens show it
(attempts.py), and recordings a crash left behind turned into attempts (recovery.py)."""
