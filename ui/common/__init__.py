"""What every screen shares: section colours, the banner, sortable table cells, help, one running instance."""
