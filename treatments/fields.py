"""Form fields for picking reference rows from a list loaded once per request.

A session editor shows 30+ site rows; a ``ModelChoiceField`` per row would query the muscle table
once per row to render and once per row to validate. ``ObjectChoiceField`` takes the rows already
loaded, groups them into ``<optgroup>``s and tags each ``<option>`` with data attributes that the
page's script reads (e.g. which indication a diagnosis code belongs to).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms


class ObjectSelect(forms.Select):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.option_attrs: dict[str, dict[str, str]] = {}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.option_attrs = self.option_attrs  # shared, read-only: no need to copy per row
        return copied

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class ObjectChoiceField(forms.ChoiceField):
    """A choice among ``objects``; ``clean`` returns the object itself (or ``None`` when blank)."""

    widget = ObjectSelect

    def __init__(
        self,
        *,
        objects: Iterable[Any] = (),
        label_of: Callable[[Any], str] = str,
        group_of: Callable[[Any], str] | None = None,
        attrs_of: Callable[[Any], dict[str, Any]] | None = None,
        empty_label: str = "---------",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.label_of, self.group_of, self.attrs_of, self.empty_label = label_of, group_of, attrs_of, empty_label
        self.set_objects(objects)

    def set_objects(self, objects: Iterable[Any]) -> None:
        objects = list(objects)
        self.objects = {str(obj.pk): obj for obj in objects}
        choices: list[Any] = [("", self.empty_label)]
        if self.group_of is None:
            choices += [(str(obj.pk), self.label_of(obj)) for obj in objects]
        else:
            groups: dict[str, list[tuple[str, str]]] = {}
            for obj in objects:
                groups.setdefault(self.group_of(obj), []).append((str(obj.pk), self.label_of(obj)))
            choices += list(groups.items())
        self.choices = choices
        self.widget.option_attrs = {
            str(obj.pk): {f"data-{k}": str(v) for k, v in self.attrs_of(obj).items()}
            for obj in objects
        } if self.attrs_of else {}

    def prepare_value(self, value: Any) -> Any:
        return str(value.pk) if hasattr(value, "pk") else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return super().has_changed(self.prepare_value(initial), data)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.objects.get(str(value)) if value not in (None, "") else None
