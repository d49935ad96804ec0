"""The Settings dialog, one page per part: microphone, voice, transcription, practice."""
