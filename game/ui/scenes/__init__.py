"""The screens of the game: thin, drawing the engine's state and turning input into actions."""
