"""Drawing that widgets do not do: the relations map, meters and charts."""
