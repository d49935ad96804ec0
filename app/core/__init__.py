"""What every stage uses and none owns: where files live (paths), writing them whole (files), the
person's settings, and background jobs whose results come back on the GUI thread (jobs)."""
