"""Speech in and out: the microphone, transcription, the question voice and playback.

Qt Multimedia's FFmpeg backend prints FFmpeg's dump of every file it opens ("Input #0, wav, from …",
its duration and streams) to stderr, once per sound played: three lines per question read aloud
and per answer replayed. Qt prints that dump, and its "Using Qt multimedia with FFmpeg" line, only
while the info level of its `qt.multimedia.ffmpeg` categories is on (measured with Qt 6.11: turning
off `qt.multimedia.ffmpeg.mediadataholder.info` alone removes the dump). So those are turned off here,
before any module of this package loads Qt Multimedia; Qt's warnings ("Could not open media") and
the app's own errors stay. A person who sets QT_LOGGING_RULES keeps their choice: Qt ranks it above
rules set in code.
"""

from PySide6.QtCore import QLoggingCategory

QLoggingCategory.setFilterRules("qt.multimedia.ffmpeg*.info=false")
