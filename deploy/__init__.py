"""Deployment layouts: ``deploy.cluster`` runs several bridges and Rasa servers behind nginx on loopback."""
