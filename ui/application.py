"""Starts the GUI: logging, crash traces, the bank (with its fallback), the main window."""

from __future__ import annotations

import faulthandler
import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.bank.questions import Bank, BankError, load_bank_or_builtin
from app.core import collector, memory, paths
from app.core.jobs import run_task
from app.core.settings import Settings, read_settings
from app.speech.speech_thread import SpeechThread, speech_thread_for
from app.speech.transcript import SpeechError
from app.speech.wavfile import recover_recordings
from ui.common.single_instance import SingleInstance

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("star_coach")


def _setup_logging() -> None:
    log_file = paths.log_dir() / "star-coach.log"
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[logging.FileHandler(log_file, encoding="utf-8")],
    )
    # Kept open for the process's life: faulthandler writes the stack there on a hard crash.
    crash_log = open(paths.log_dir() / "crash.log", "a", encoding="utf-8")  # noqa: SIM115
    faulthandler.enable(crash_log)


def startup_notices() -> list[str]:
    """What the user must hear about from the last session: recordings a crash interrupted."""
    notices = []
    try:
        recovered = recover_recordings(paths.recordings_dir())
    except OSError as e:
        log.error("recovering recordings failed: %s", e)
        return [f"Recordings interrupted by a crash could not be repaired ({e})."]
    for path in recovered:
        log.warning("recovered %s", path)
        notices.append(
            f"STAR Coach stopped during an answer last time; the recording was kept ({path.name}) and "
            "is transcribed into History, marked recovered, once the speech model is ready."
        )
    return notices


def make_app(argv: list[str]) -> QApplication:
    """The app's QApplication: glibc set to give freed memory back (app/core/memory.py) and Python's
    collector moved to its thread (app/core/collector.py: the root cause of crashes and hangs over a
    long session), both before any other thread starts. The benchmark's soak makes its app here too."""
    memory.return_freed_memory()  # before Qt and the models start their threads
    app = QApplication(argv)
    app.setApplicationName("STAR Coach")
    app.setOrganizationName("star-coach")
    app.setDesktopFileName("star-coach")
    collector.collect_on_gui_thread()
    return app


def run(argv: Sequence[str], driver: Callable[[MainWindow], None] | None = None) -> int:
    """`driver` (the benchmark's window scenario) takes over the window once practice is ready, with
    STAR_COACH_STARTUP_PROBE set; without it the probe quits there."""
    _setup_logging()
    app = make_app([sys.argv[0], *argv])
    instance = SingleInstance(app)
    if not instance.claim():
        print("STAR Coach is already running: its window was brought forward.", file=sys.stderr)
        return 0

    # The transcription thread, for the app's life: the Whisper model loads on it as soon as the
    # window shows (started before the window was built, the loading held the window up by ~0.25 s).
    settings, settings_notices = read_settings()
    speech = _speech_thread(settings)
    try:
        code = _run(app, instance, argv, driver, settings, settings_notices, speech)
    finally:
        if speech is not None:  # after the window's orderly shutdown; at once if that stopped it
            speech.shutdown()
    instance.release()
    return code


def _speech_thread(settings: Settings) -> SpeechThread | None:
    """The transcription thread, not loading yet; None when no engine can be made (then the
    practice services try again and say why in the window)."""
    try:
        return speech_thread_for(settings)
    except SpeechError as e:
        log.error("no speech engine at launch: %s", e)
        return None


def _load_labeller(bank: Bank) -> object:
    from app.analysis.labeller_files import default_labeller  # a worker's import, not the GUI's

    return default_labeller(bank)


def _run(
    app: QApplication,
    instance: SingleInstance,
    argv: Sequence[str],
    driver: Callable[[MainWindow], None] | None,
    settings: Settings,
    settings_notices: list[str],
    speech: SpeechThread | None,
) -> int:
    try:
        loaded = load_bank_or_builtin(paths.user_bank_path())
    except BankError as e:
        log.error("built-in bank unusable: %s", e)
        QMessageBox.critical(
            None,
            app.tr("STAR Coach cannot start"),
            app.tr("The built-in question bank is damaged:\n{0}\n\nReinstall STAR Coach.").format(e),
        )
        return 1
    if loaded.warning:
        log.warning(loaded.warning)

    from ui.main_window import MainWindow

    window = MainWindow(loaded)
    window.show()
    collector.settle()  # Qt, the window and the app's modules: left out of the collections while models load
    for notice in settings_notices:
        window.show_banner(notice)
    instance.raise_requested.connect(lambda: _bring_forward(window))
    _quit_on_sigterm(app, window)
    probe = bool(os.environ.get("STAR_COACH_STARTUP_PROBE"))

    def attach(prepared: tuple[object, list[str]]) -> None:
        # Speech in and out start now; the models, loading since the window showed, are handed over.
        from app.services import OpenedHistory, Services

        if window.isHidden():  # closed (Ctrl+Q, SIGTERM) while the history opened: start nothing now,
            return  # or the capture thread outlived the app ("QThread: Destroyed while … running")
        opened, notices = prepared
        for notice in notices:
            window.show_banner(notice)

        try:
            services = Services.create(
                loaded.bank, settings, opened=cast(OpenedHistory, opened), speech=speech
            )
        except Exception as e:  # the last resort: said in the window, not only in the log
            log.exception("practice could not start")
            failed(f"{e}. The log in {paths.log_dir()} has the details.")
            return
        window.attach_services(services)

        def recovered(text: str) -> None:  # recordings from an earlier session joined the history
            window.show_banner(text)
            window.refresh_practice()

        if probe:
            # The benchmark's "practice ready": the model and the labeller are loaded, so a practice
            # could start now and its feedback be computed.
            def ready() -> None:
                collector.settle()
                print("practice-ready", flush=True)
                if driver is None:
                    app.quit()
                else:
                    driver(window)

            def not_ready(message: str) -> None:
                print(f"practice-failed {message}", flush=True)
                app.quit()

            services.practice.error.connect(not_ready)
            services.start_background_loading(ready, recovered)
        else:
            services.start_background_loading(collector.settle, recovered)

    def failed(message: str) -> None:
        log.error("practice could not start: %s", message)
        window.practice_unavailable(message)

    def prepare() -> tuple[object, list[str]]:
        """The speech and analysis modules take ~0.3 s to import, the history's check reads the
        whole file, and recordings a crash interrupted are repaired (read and rewritten): all on a
        worker thread, after the first paint; the repair first, so the history finds them whole."""
        notices = startup_notices()
        return importlib.import_module("app.services").open_history(), notices

    def start_loading() -> None:
        """The window is up: the Whisper model loads on the transcription thread and the STAR
        labeller on a worker while the history is opened and the practice services are made, not
        after (that took ~0.5 s more before practice was ready)."""
        if speech is not None:
            speech.load()
        run_task(
            lambda: _load_labeller(loaded.bank),
            lambda _labeller: None,
            lambda message: log.warning("STAR labeller not loaded at launch (tried again): %s", message),
        )
        run_task(prepare, attach, failed)

    QTimer.singleShot(0, start_loading)
    if probe:
        # The benchmark measures launch -> first event-loop turn after show() -> practice ready.
        QTimer.singleShot(0, lambda: print("window-shown", flush=True))
    return app.exec()


def _bring_forward(window: QWidget) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()


def _quit_on_sigterm(app: QApplication, window: QWidget) -> None:
    """SIGTERM (a logout, `kill`) closes the window as Ctrl+Q does: the same orderly shutdown of the
    speech threads and the history, exit code 0. Python runs its signal handlers only between
    bytecodes, so a quarter-second timer gives it the chance while Qt's loop waits."""
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, window.close))
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(250)
