"""``python -m escalation.evaluation``: the escalation report (see ``evaluate``)."""

import sys

from escalation.evaluation.evaluate import main

sys.exit(main())
