"""STAR Coach's core: question bank, speech, analysis and history. Imports no widgets.

Nothing leaves the machine unless the person asks. onnxruntime, which faster-whisper's voice-activity
detector loads, carries Microsoft's telemetry client: unasked, it looked up
mobile.events.data.microsoft.com about ten seconds into a practice (`disable_telemetry_events()` did
not stop it). Its own switch, set before the library loads, does; a person who sets it otherwise
keeps their choice.
"""

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
