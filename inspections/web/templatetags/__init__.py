"""The web layer's template libraries, registered by name in settings (TEMPLATES 'libraries'), so `{% load %}` names
stay as they were while the tags live with the pages that use them."""
