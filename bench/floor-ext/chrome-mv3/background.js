// The floor needs no background: this file only gives the bench a service worker to wait for.
