"""EventBridge: where moto 5.2.5 differs from AWS, patched onto moto's event delivery."""

from __future__ import annotations

import copy
from typing import Any

API = "https://docs.aws.amazon.com/eventbridge/latest/APIReference"


def fix_untransformed_delivery() -> None:
    """A target without an InputTransformer receives the event envelope unchanged.

    AWS delivers the whole event to a target that has no `Input`, `InputPath` or
    `InputTransformer`: version, id, detail-type, source, account, time, region, resources and
    detail, with the detail exactly as put
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html,
    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html).
    moto ran such events through a default string template that left out `account` and
    replaced every `<id>`, `<time>`, `<source>`, ... found anywhere in the text, the detail's
    strings included. Targets with an InputTransformer (and moto's archives, which use one)
    keep moto's template handling; `Input` and `InputPath` are not modelled, as before.
    """
    from moto.events.utils import EventTemplateParser

    original_parse = EventTemplateParser.parse

    def parse(input_template: str, input_paths_map: dict[str, Any], event: Any) -> dict[str, Any]:
        if input_template:
            return original_parse(input_template, input_paths_map, event)
        # "ingestion-time" is moto's own bookkeeping, not part of the AWS envelope.
        return {key: copy.deepcopy(value) for key, value in event.items() if key != "ingestion-time"}

    EventTemplateParser.parse = staticmethod(parse)  # type: ignore[method-assign,assignment]


def apply() -> None:
    fix_untransformed_delivery()
