# English pages keep Vietnamese conventions for dates and numbers: the data is Vietnamese.
from caunoi.formats.vi.formats import *  # noqa: F403
