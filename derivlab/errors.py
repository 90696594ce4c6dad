"""The one error hierarchy. The CLI maps ``InputError`` to exit 2 and
``VerificationFailure`` to exit 1, printing one line and never a traceback."""


class DerivlabError(Exception):
    """Base class of every error derivlab raises on purpose."""

    exit_code = 1


class InputError(DerivlabError):
    """The input could not be used (missing/unreadable file, bad option, wrong shapes): exit 2."""

    exit_code = 2


class VerificationFailure(DerivlabError):
    """The thing checked is wrong (a claim failed, a step is invalid, weights fail): exit 1."""

    exit_code = 1
