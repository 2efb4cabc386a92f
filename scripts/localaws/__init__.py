"""lakesync local AWS: moto server plus a CloudTrail layer and fixes where moto differs from AWS."""
