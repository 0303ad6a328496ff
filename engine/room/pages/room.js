// entente serve: the room pages (placeholder)
