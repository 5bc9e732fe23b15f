# ruff: noqa: E501  (a translation table: one phrase per line reads and diffs best)
"""The words of tenant emails, in the six languages CasaPay reads (en, de, fr, nl, es, it).

Kept apart from the layout (templates/emails/) so a translator edits one table. A key missing in
a language falls back to English; placeholders are `str.format` fields.
"""

from __future__ import annotations

EN = {
    "greeting": "Hello {name},",
    "greeting_anonymous": "Hello,",
    "signoff": "Kind regards,",
    "reply_hint": "You can reply to this email: your reply is filed with this invoice.",
    "label_amount": "Amount",
    "label_due": "Due date",
    "label_document": "Document",
    "label_payment": "Payment reference",
    "label_paid_on": "Paid on",
    "label_what": "What happened",
    "label_fix": "How to fix it",
    "received_subject": "We received your invoice",
    "received_body": (
        "We received {document} at {alias}. We will email you as soon as it is ready to pay."
    ),
    "failed_subject": "We could not process the invoice you forwarded",
    "failed.no_pdf_attachment.what": (
        "The email you forwarded to {alias} had no invoice attached, so there was nothing to read."
    ),
    "failed.no_pdf_attachment.fix": (
        "Reply to this email with the invoice attached, as a PDF or a photo."
    ),
    "failed.pdf_encrypted.what": ("{document} is protected by a password, so we cannot open it."),
    "failed.pdf_encrypted.fix": (
        "Reply to this email with a copy that is not password-protected (for example, open it "
        "and print it to a new PDF), or reply with the password in the first line of your email."
    ),
    "failed.pdf_unreadable.what": "We could not read {document}: it is damaged or not a PDF.",
    "failed.pdf_unreadable.fix": (
        "Reply to this email with a fresh copy of the invoice, as a PDF or a clear photo."
    ),
    "failed.pdf_too_complex.what": "{document} is too large or too complex for us to read safely.",
    "failed.pdf_too_complex.fix": (
        "Reply to this email with a smaller copy: only the invoice pages, or a clear photo."
    ),
    "failed.no_amount_found.what": (
        "We read {document} but found no amount to pay in it. It may not be an invoice."
    ),
    "failed.no_amount_found.fix": (
        "If it is an invoice, reply to this email with a clearer copy. Otherwise, nothing to do."
    ),
    "failed.duplicate_invoice.what": (
        "{document} is an invoice you already forwarded, so we did not bill it twice."
    ),
    "failed.duplicate_invoice.fix": (
        "Nothing to do if it is the same invoice. If it is a different one, reply to this email "
        "with that invoice attached."
    ),
    "failed.rejected_in_review.what": (
        "Our team checked {document} and could not bill it. The reason: {reason}"
    ),
    "failed.rejected_in_review.fix": (
        "If this is a mistake, reply to this email with a corrected copy of the invoice."
    ),
    "failed.processing_attempts_exhausted.what": (
        "We tried several times to process {document}, but a technical problem stopped us."
    ),
    "failed.processing_attempts_exhausted.fix": (
        "Our team has been told. You can also reply to this email with the invoice attached again."
    ),
    "failed.other.what": "We could not process {document}: {message}",
    "failed.other.fix": "Reply to this email with a new copy of the invoice.",
    "held_subject": "Your invoice is waiting for a check",
    "held.sender_not_authenticated.what": (
        "We could not confirm that {sender} really sent {document}: the email was not "
        "authenticated. To protect you from forged payment details, a person checks it before "
        "you are asked to pay."
    ),
    "held.sender_not_authenticated.fix": (
        "You do not need to do anything now. To avoid this next time, forward invoices from "
        "your own mailbox, or ask the sender to authenticate their email (SPF, DKIM, DMARC)."
    ),
    "payment_request_subject": "Payment request: {amount}",
    "payment_request_body": "The invoice you forwarded is ready to pay.",
    "payment_request_body_ref": "The invoice you forwarded ({reference}) is ready to pay.",
    "action_pay": "Pay securely",
    "invoice_sent_subject": "Invoice {invoice}: {amount}",
    "invoice_sent_body": "Your invoice {invoice} is attached.",
    "action_view": "View and pay the invoice",
    "receipt_subject": "Receipt: {amount} paid",
    "receipt_body": "Thank you: we received your payment of {amount}.",
    "action_receipt": "View the paid invoice",
    "reminder_before_subject": "Reminder: {amount} due on {due}",
    "reminder_before_body": "A friendly reminder: {amount} is due on {due}.",
    "reminder_due_subject": "Due today: {amount}",
    "reminder_due_body": "{amount} is due today, {due}.",
    "reminder_after_subject": "Overdue: {amount} was due on {due}",
    "reminder_after_body": (
        "{amount} was due on {due} and has not been paid yet. Please pay it as soon as possible."
    ),
    "reminder_ignore": "If you have already paid, please ignore this reminder.",
}

DE = {
    "greeting": "Hallo {name},",
    "greeting_anonymous": "Hallo,",
    "signoff": "Viele Grüße",
    "reply_hint": "Sie können auf diese E-Mail antworten: Ihre Antwort wird dieser Rechnung zugeordnet.",
    "label_amount": "Betrag",
    "label_due": "Fällig am",
    "label_document": "Dokument",
    "label_payment": "Zahlungsreferenz",
    "label_paid_on": "Bezahlt am",
    "label_what": "Was ist passiert",
    "label_fix": "So beheben Sie es",
    "received_subject": "Wir haben Ihre Rechnung erhalten",
    "received_body": (
        "Wir haben {document} unter {alias} erhalten. Sobald sie bezahlt werden kann, "
        "schreiben wir Ihnen."
    ),
    "failed_subject": "Wir konnten Ihre weitergeleitete Rechnung nicht verarbeiten",
    "failed.no_pdf_attachment.what": (
        "Die an {alias} weitergeleitete E-Mail hatte keine Rechnung im Anhang."
    ),
    "failed.no_pdf_attachment.fix": (
        "Antworten Sie auf diese E-Mail und hängen Sie die Rechnung als PDF oder Foto an."
    ),
    "failed.pdf_encrypted.what": "{document} ist mit einem Passwort geschützt; wir können es nicht öffnen.",
    "failed.pdf_encrypted.fix": (
        "Antworten Sie mit einer Kopie ohne Passwortschutz (z. B. öffnen und als neues PDF "
        "drucken) oder mit dem Passwort in der ersten Zeile Ihrer E-Mail."
    ),
    "failed.pdf_unreadable.what": "Wir konnten {document} nicht lesen: Die Datei ist beschädigt oder kein PDF.",
    "failed.pdf_unreadable.fix": (
        "Antworten Sie mit einer neuen Kopie der Rechnung, als PDF oder gut lesbares Foto."
    ),
    "failed.pdf_too_complex.what": "{document} ist zu groß oder zu komplex, um es sicher zu lesen.",
    "failed.pdf_too_complex.fix": (
        "Antworten Sie mit einer kleineren Kopie: nur die Rechnungsseiten oder ein Foto."
    ),
    "failed.no_amount_found.what": (
        "Wir haben {document} gelesen, aber keinen zu zahlenden Betrag gefunden. "
        "Vielleicht ist es keine Rechnung."
    ),
    "failed.no_amount_found.fix": (
        "Falls es eine Rechnung ist, antworten Sie mit einer besser lesbaren Kopie. "
        "Andernfalls ist nichts zu tun."
    ),
    "failed.duplicate_invoice.what": (
        "{document} haben Sie bereits weitergeleitet; wir haben sie nicht doppelt berechnet."
    ),
    "failed.duplicate_invoice.fix": (
        "Ist es dieselbe Rechnung, ist nichts zu tun. Ist es eine andere, antworten Sie mit "
        "dieser Rechnung im Anhang."
    ),
    "failed.rejected_in_review.what": (
        "Unser Team hat {document} geprüft und konnte es nicht abrechnen. Grund: {reason}"
    ),
    "failed.rejected_in_review.fix": (
        "Falls das ein Irrtum ist, antworten Sie mit einer korrigierten Kopie der Rechnung."
    ),
    "failed.processing_attempts_exhausted.what": (
        "Wir haben mehrmals versucht, {document} zu verarbeiten, aber ein technisches Problem "
        "hat uns gestoppt."
    ),
    "failed.processing_attempts_exhausted.fix": (
        "Unser Team ist informiert. Sie können auch mit der Rechnung im Anhang antworten."
    ),
    "failed.other.what": "Wir konnten {document} nicht verarbeiten: {message}",
    "failed.other.fix": "Antworten Sie mit einer neuen Kopie der Rechnung.",
    "held_subject": "Ihre Rechnung wird noch geprüft",
    "held.sender_not_authenticated.what": (
        "Wir konnten nicht bestätigen, dass {sender} {document} wirklich gesendet hat: Die "
        "E-Mail war nicht authentifiziert. Zu Ihrem Schutz vor gefälschten Bankdaten prüft "
        "eine Person sie, bevor Sie zahlen sollen."
    ),
    "held.sender_not_authenticated.fix": (
        "Sie müssen jetzt nichts tun. Leiten Sie Rechnungen künftig aus Ihrem eigenen Postfach "
        "weiter oder bitten Sie den Absender, seine E-Mails zu authentifizieren (SPF, DKIM, DMARC)."
    ),
    "payment_request_subject": "Zahlungsaufforderung: {amount}",
    "payment_request_body": "Die weitergeleitete Rechnung kann jetzt bezahlt werden.",
    "payment_request_body_ref": "Die weitergeleitete Rechnung ({reference}) kann jetzt bezahlt werden.",
    "action_pay": "Sicher bezahlen",
    "invoice_sent_subject": "Rechnung {invoice}: {amount}",
    "invoice_sent_body": "Ihre Rechnung {invoice} finden Sie im Anhang.",
    "action_view": "Rechnung ansehen und bezahlen",
    "receipt_subject": "Zahlungsbestätigung: {amount} bezahlt",
    "receipt_body": "Vielen Dank: Wir haben Ihre Zahlung von {amount} erhalten.",
    "action_receipt": "Bezahlte Rechnung ansehen",
    "reminder_before_subject": "Erinnerung: {amount} fällig am {due}",
    "reminder_before_body": "Eine freundliche Erinnerung: {amount} ist am {due} fällig.",
    "reminder_due_subject": "Heute fällig: {amount}",
    "reminder_due_body": "{amount} ist heute, am {due}, fällig.",
    "reminder_after_subject": "Überfällig: {amount} war am {due} fällig",
    "reminder_after_body": (
        "{amount} war am {due} fällig und ist noch nicht bezahlt. Bitte zahlen Sie so bald wie "
        "möglich."
    ),
    "reminder_ignore": "Falls Sie bereits bezahlt haben, betrachten Sie diese Erinnerung als gegenstandslos.",
}

FR = {
    "greeting": "Bonjour {name},",
    "greeting_anonymous": "Bonjour,",
    "signoff": "Cordialement,",
    "reply_hint": "Vous pouvez répondre à cet e-mail : votre réponse sera jointe à cette facture.",
    "label_amount": "Montant",
    "label_due": "Échéance",
    "label_document": "Document",
    "label_payment": "Référence de paiement",
    "label_paid_on": "Payée le",
    "label_what": "Ce qui s'est passé",
    "label_fix": "Comment corriger",
    "received_subject": "Nous avons reçu votre facture",
    "received_body": (
        "Nous avons reçu {document} à l'adresse {alias}. Nous vous écrirons dès qu'elle sera "
        "prête à être payée."
    ),
    "failed_subject": "Nous n'avons pas pu traiter la facture transférée",
    "failed.no_pdf_attachment.what": "L'e-mail transféré à {alias} ne contenait aucune facture en pièce jointe.",
    "failed.no_pdf_attachment.fix": (
        "Répondez à cet e-mail en joignant la facture, en PDF ou en photo."
    ),
    "failed.pdf_encrypted.what": "{document} est protégé par un mot de passe : nous ne pouvons pas l'ouvrir.",
    "failed.pdf_encrypted.fix": (
        "Répondez avec une copie sans mot de passe (par exemple en l'imprimant dans un nouveau "
        "PDF), ou avec le mot de passe sur la première ligne de votre e-mail."
    ),
    "failed.pdf_unreadable.what": "Nous n'avons pas pu lire {document} : le fichier est endommagé ou n'est pas un PDF.",
    "failed.pdf_unreadable.fix": "Répondez avec une nouvelle copie de la facture, en PDF ou en photo nette.",
    "failed.pdf_too_complex.what": "{document} est trop volumineux ou trop complexe pour être lu en sécurité.",
    "failed.pdf_too_complex.fix": "Répondez avec une copie plus légère : seulement les pages de la facture, ou une photo.",
    "failed.no_amount_found.what": (
        "Nous avons lu {document} sans y trouver de montant à payer. Ce n'est peut-être pas une "
        "facture."
    ),
    "failed.no_amount_found.fix": (
        "S'il s'agit d'une facture, répondez avec une copie plus lisible. Sinon, rien à faire."
    ),
    "failed.duplicate_invoice.what": (
        "Vous avez déjà transféré {document} ; nous ne l'avons pas facturée deux fois."
    ),
    "failed.duplicate_invoice.fix": (
        "Rien à faire s'il s'agit de la même facture. Si c'en est une autre, répondez en la "
        "joignant."
    ),
    "failed.rejected_in_review.what": (
        "Notre équipe a vérifié {document} et n'a pas pu la facturer. Motif : {reason}"
    ),
    "failed.rejected_in_review.fix": "S'il s'agit d'une erreur, répondez avec une copie corrigée de la facture.",
    "failed.processing_attempts_exhausted.what": (
        "Nous avons essayé plusieurs fois de traiter {document}, mais un problème technique nous "
        "en a empêchés."
    ),
    "failed.processing_attempts_exhausted.fix": (
        "Notre équipe est prévenue. Vous pouvez aussi répondre en joignant de nouveau la facture."
    ),
    "failed.other.what": "Nous n'avons pas pu traiter {document} : {message}",
    "failed.other.fix": "Répondez avec une nouvelle copie de la facture.",
    "held_subject": "Votre facture est en cours de vérification",
    "held.sender_not_authenticated.what": (
        "Nous n'avons pas pu confirmer que {sender} a bien envoyé {document} : l'e-mail n'était "
        "pas authentifié. Pour vous protéger de coordonnées bancaires falsifiées, une personne "
        "la vérifie avant de vous demander de payer."
    ),
    "held.sender_not_authenticated.fix": (
        "Vous n'avez rien à faire pour l'instant. À l'avenir, transférez les factures depuis "
        "votre propre boîte, ou demandez à l'expéditeur d'authentifier ses e-mails (SPF, DKIM, "
        "DMARC)."
    ),
    "payment_request_subject": "Demande de paiement : {amount}",
    "payment_request_body": "La facture transférée est prête à être payée.",
    "payment_request_body_ref": "La facture transférée ({reference}) est prête à être payée.",
    "action_pay": "Payer en toute sécurité",
    "invoice_sent_subject": "Facture {invoice} : {amount}",
    "invoice_sent_body": "Votre facture {invoice} est jointe.",
    "action_view": "Voir et payer la facture",
    "receipt_subject": "Reçu : {amount} payé",
    "receipt_body": "Merci : nous avons bien reçu votre paiement de {amount}.",
    "action_receipt": "Voir la facture payée",
    "reminder_before_subject": "Rappel : {amount} à payer le {due}",
    "reminder_before_body": "Petit rappel : {amount} est à payer le {due}.",
    "reminder_due_subject": "À payer aujourd'hui : {amount}",
    "reminder_due_body": "{amount} est à payer aujourd'hui, le {due}.",
    "reminder_after_subject": "En retard : {amount} était dû le {due}",
    "reminder_after_body": (
        "{amount} était dû le {due} et n'a pas encore été payé. Merci de le régler au plus vite."
    ),
    "reminder_ignore": "Si vous avez déjà payé, ignorez ce rappel.",
}

NL = {
    "greeting": "Hallo {name},",
    "greeting_anonymous": "Hallo,",
    "signoff": "Met vriendelijke groet,",
    "reply_hint": "U kunt op deze e-mail antwoorden: uw antwoord wordt bij deze factuur bewaard.",
    "label_amount": "Bedrag",
    "label_due": "Vervaldatum",
    "label_document": "Document",
    "label_payment": "Betalingskenmerk",
    "label_paid_on": "Betaald op",
    "label_what": "Wat er gebeurde",
    "label_fix": "Zo lost u het op",
    "received_subject": "We hebben uw factuur ontvangen",
    "received_body": (
        "We hebben {document} ontvangen op {alias}. We mailen u zodra hij betaald kan worden."
    ),
    "failed_subject": "We konden de doorgestuurde factuur niet verwerken",
    "failed.no_pdf_attachment.what": "De e-mail die u naar {alias} doorstuurde, had geen factuur als bijlage.",
    "failed.no_pdf_attachment.fix": "Beantwoord deze e-mail met de factuur als bijlage, als pdf of foto.",
    "failed.pdf_encrypted.what": "{document} is beveiligd met een wachtwoord; we kunnen het niet openen.",
    "failed.pdf_encrypted.fix": (
        "Antwoord met een kopie zonder wachtwoord (bijvoorbeeld opnieuw afdrukken als pdf), of "
        "met het wachtwoord op de eerste regel van uw e-mail."
    ),
    "failed.pdf_unreadable.what": "We konden {document} niet lezen: het bestand is beschadigd of geen pdf.",
    "failed.pdf_unreadable.fix": "Antwoord met een nieuwe kopie van de factuur, als pdf of scherpe foto.",
    "failed.pdf_too_complex.what": "{document} is te groot of te complex om veilig te lezen.",
    "failed.pdf_too_complex.fix": "Antwoord met een kleinere kopie: alleen de factuurpagina's, of een foto.",
    "failed.no_amount_found.what": (
        "We hebben {document} gelezen maar geen te betalen bedrag gevonden. Misschien is het "
        "geen factuur."
    ),
    "failed.no_amount_found.fix": (
        "Is het een factuur, antwoord dan met een beter leesbare kopie. Anders hoeft u niets "
        "te doen."
    ),
    "failed.duplicate_invoice.what": (
        "U hebt {document} al eerder doorgestuurd; we hebben hem niet dubbel gefactureerd."
    ),
    "failed.duplicate_invoice.fix": (
        "Is het dezelfde factuur, dan hoeft u niets te doen. Is het een andere, antwoord dan met "
        "die factuur als bijlage."
    ),
    "failed.rejected_in_review.what": (
        "Ons team heeft {document} gecontroleerd en kon hem niet factureren. Reden: {reason}"
    ),
    "failed.rejected_in_review.fix": "Is dit een vergissing, antwoord dan met een verbeterde kopie van de factuur.",
    "failed.processing_attempts_exhausted.what": (
        "We hebben meerdere keren geprobeerd {document} te verwerken, maar een technisch "
        "probleem hield ons tegen."
    ),
    "failed.processing_attempts_exhausted.fix": (
        "Ons team is op de hoogte. U kunt ook antwoorden met de factuur opnieuw als bijlage."
    ),
    "failed.other.what": "We konden {document} niet verwerken: {message}",
    "failed.other.fix": "Antwoord met een nieuwe kopie van de factuur.",
    "held_subject": "Uw factuur wordt nog gecontroleerd",
    "held.sender_not_authenticated.what": (
        "We konden niet bevestigen dat {sender} {document} echt heeft verstuurd: de e-mail was "
        "niet geauthenticeerd. Om u te beschermen tegen vervalste betaalgegevens controleert "
        "een medewerker hem voordat u wordt gevraagd te betalen."
    ),
    "held.sender_not_authenticated.fix": (
        "U hoeft nu niets te doen. Stuur facturen voortaan door vanuit uw eigen mailbox, of vraag "
        "de afzender zijn e-mail te authenticeren (SPF, DKIM, DMARC)."
    ),
    "payment_request_subject": "Betaalverzoek: {amount}",
    "payment_request_body": "De doorgestuurde factuur kan nu betaald worden.",
    "payment_request_body_ref": "De doorgestuurde factuur ({reference}) kan nu betaald worden.",
    "action_pay": "Veilig betalen",
    "invoice_sent_subject": "Factuur {invoice}: {amount}",
    "invoice_sent_body": "Uw factuur {invoice} zit in de bijlage.",
    "action_view": "Factuur bekijken en betalen",
    "receipt_subject": "Betaalbewijs: {amount} betaald",
    "receipt_body": "Bedankt: we hebben uw betaling van {amount} ontvangen.",
    "action_receipt": "Betaalde factuur bekijken",
    "reminder_before_subject": "Herinnering: {amount} te betalen op {due}",
    "reminder_before_body": "Een vriendelijke herinnering: {amount} moet op {due} betaald zijn.",
    "reminder_due_subject": "Vandaag te betalen: {amount}",
    "reminder_due_body": "{amount} moet vandaag, {due}, betaald worden.",
    "reminder_after_subject": "Achterstallig: {amount} was verschuldigd op {due}",
    "reminder_after_body": (
        "{amount} was verschuldigd op {due} en is nog niet betaald. Betaal zo snel mogelijk."
    ),
    "reminder_ignore": "Hebt u al betaald, dan kunt u deze herinnering negeren.",
}

ES = {
    "greeting": "Hola, {name}:",
    "greeting_anonymous": "Hola:",
    "signoff": "Saludos cordiales,",
    "reply_hint": "Puede responder a este correo: su respuesta se archiva con esta factura.",
    "label_amount": "Importe",
    "label_due": "Vencimiento",
    "label_document": "Documento",
    "label_payment": "Referencia de pago",
    "label_paid_on": "Pagada el",
    "label_what": "Qué ha pasado",
    "label_fix": "Cómo solucionarlo",
    "received_subject": "Hemos recibido su factura",
    "received_body": (
        "Hemos recibido {document} en {alias}. Le escribiremos en cuanto pueda pagarse."
    ),
    "failed_subject": "No hemos podido procesar la factura que reenvió",
    "failed.no_pdf_attachment.what": "El correo que reenvió a {alias} no llevaba ninguna factura adjunta.",
    "failed.no_pdf_attachment.fix": "Responda a este correo con la factura adjunta, en PDF o como foto.",
    "failed.pdf_encrypted.what": "{document} está protegido con contraseña y no podemos abrirlo.",
    "failed.pdf_encrypted.fix": (
        "Responda con una copia sin contraseña (por ejemplo, imprimiéndola en un PDF nuevo) o "
        "con la contraseña en la primera línea de su correo."
    ),
    "failed.pdf_unreadable.what": "No hemos podido leer {document}: el archivo está dañado o no es un PDF.",
    "failed.pdf_unreadable.fix": "Responda con una copia nueva de la factura, en PDF o como foto nítida.",
    "failed.pdf_too_complex.what": "{document} es demasiado grande o complejo para leerlo con seguridad.",
    "failed.pdf_too_complex.fix": "Responda con una copia más pequeña: solo las páginas de la factura, o una foto.",
    "failed.no_amount_found.what": (
        "Hemos leído {document} pero no hemos encontrado ningún importe a pagar. Puede que no "
        "sea una factura."
    ),
    "failed.no_amount_found.fix": (
        "Si es una factura, responda con una copia más legible. Si no, no tiene que hacer nada."
    ),
    "failed.duplicate_invoice.what": (
        "Ya había reenviado {document}, así que no la hemos cobrado dos veces."
    ),
    "failed.duplicate_invoice.fix": (
        "Si es la misma factura, no tiene que hacer nada. Si es otra, responda con esa factura "
        "adjunta."
    ),
    "failed.rejected_in_review.what": (
        "Nuestro equipo revisó {document} y no pudo facturarla. Motivo: {reason}"
    ),
    "failed.rejected_in_review.fix": "Si es un error, responda con una copia corregida de la factura.",
    "failed.processing_attempts_exhausted.what": (
        "Intentamos varias veces procesar {document}, pero un problema técnico nos lo impidió."
    ),
    "failed.processing_attempts_exhausted.fix": (
        "Nuestro equipo está avisado. También puede responder adjuntando de nuevo la factura."
    ),
    "failed.other.what": "No hemos podido procesar {document}: {message}",
    "failed.other.fix": "Responda con una copia nueva de la factura.",
    "held_subject": "Su factura está pendiente de revisión",
    "held.sender_not_authenticated.what": (
        "No hemos podido confirmar que {sender} enviara realmente {document}: el correo no "
        "estaba autenticado. Para protegerle de datos bancarios falsificados, una persona la "
        "revisa antes de pedirle el pago."
    ),
    "held.sender_not_authenticated.fix": (
        "No tiene que hacer nada por ahora. En el futuro, reenvíe las facturas desde su propio "
        "buzón o pida al remitente que autentique su correo (SPF, DKIM, DMARC)."
    ),
    "payment_request_subject": "Solicitud de pago: {amount}",
    "payment_request_body": "La factura que reenvió ya se puede pagar.",
    "payment_request_body_ref": "La factura que reenvió ({reference}) ya se puede pagar.",
    "action_pay": "Pagar de forma segura",
    "invoice_sent_subject": "Factura {invoice}: {amount}",
    "invoice_sent_body": "Adjuntamos su factura {invoice}.",
    "action_view": "Ver y pagar la factura",
    "receipt_subject": "Recibo: {amount} pagado",
    "receipt_body": "Gracias: hemos recibido su pago de {amount}.",
    "action_receipt": "Ver la factura pagada",
    "reminder_before_subject": "Recordatorio: {amount} vence el {due}",
    "reminder_before_body": "Un recordatorio: {amount} vence el {due}.",
    "reminder_due_subject": "Vence hoy: {amount}",
    "reminder_due_body": "{amount} vence hoy, {due}.",
    "reminder_after_subject": "Vencido: {amount} vencía el {due}",
    "reminder_after_body": (
        "{amount} vencía el {due} y aún no se ha pagado. Por favor, páguelo lo antes posible."
    ),
    "reminder_ignore": "Si ya ha pagado, ignore este recordatorio.",
}

IT = {
    "greeting": "Buongiorno {name},",
    "greeting_anonymous": "Buongiorno,",
    "signoff": "Cordiali saluti,",
    "reply_hint": "Può rispondere a questa e-mail: la risposta verrà archiviata con questa fattura.",
    "label_amount": "Importo",
    "label_due": "Scadenza",
    "label_document": "Documento",
    "label_payment": "Riferimento del pagamento",
    "label_paid_on": "Pagata il",
    "label_what": "Cosa è successo",
    "label_fix": "Come risolvere",
    "received_subject": "Abbiamo ricevuto la sua fattura",
    "received_body": (
        "Abbiamo ricevuto {document} all'indirizzo {alias}. Le scriveremo appena potrà essere "
        "pagata."
    ),
    "failed_subject": "Non siamo riusciti a elaborare la fattura inoltrata",
    "failed.no_pdf_attachment.what": "L'e-mail inoltrata a {alias} non conteneva alcuna fattura in allegato.",
    "failed.no_pdf_attachment.fix": "Risponda a questa e-mail allegando la fattura, in PDF o come foto.",
    "failed.pdf_encrypted.what": "{document} è protetto da password e non possiamo aprirlo.",
    "failed.pdf_encrypted.fix": (
        "Risponda con una copia senza password (ad esempio stampandola in un nuovo PDF), oppure "
        "con la password nella prima riga della sua e-mail."
    ),
    "failed.pdf_unreadable.what": "Non siamo riusciti a leggere {document}: il file è danneggiato o non è un PDF.",
    "failed.pdf_unreadable.fix": "Risponda con una nuova copia della fattura, in PDF o come foto nitida.",
    "failed.pdf_too_complex.what": "{document} è troppo grande o complesso per essere letto in sicurezza.",
    "failed.pdf_too_complex.fix": "Risponda con una copia più piccola: solo le pagine della fattura, o una foto.",
    "failed.no_amount_found.what": (
        "Abbiamo letto {document} ma non abbiamo trovato alcun importo da pagare. Forse non è "
        "una fattura."
    ),
    "failed.no_amount_found.fix": (
        "Se è una fattura, risponda con una copia più leggibile. Altrimenti non deve fare nulla."
    ),
    "failed.duplicate_invoice.what": (
        "Aveva già inoltrato {document}, quindi non l'abbiamo addebitata due volte."
    ),
    "failed.duplicate_invoice.fix": (
        "Se è la stessa fattura, non deve fare nulla. Se è un'altra, risponda allegandola."
    ),
    "failed.rejected_in_review.what": (
        "Il nostro team ha controllato {document} e non ha potuto addebitarla. Motivo: {reason}"
    ),
    "failed.rejected_in_review.fix": "Se si tratta di un errore, risponda con una copia corretta della fattura.",
    "failed.processing_attempts_exhausted.what": (
        "Abbiamo provato più volte a elaborare {document}, ma un problema tecnico ce lo ha "
        "impedito."
    ),
    "failed.processing_attempts_exhausted.fix": (
        "Il nostro team è stato avvisato. Può anche rispondere allegando di nuovo la fattura."
    ),
    "failed.other.what": "Non siamo riusciti a elaborare {document}: {message}",
    "failed.other.fix": "Risponda con una nuova copia della fattura.",
    "held_subject": "La sua fattura è in attesa di verifica",
    "held.sender_not_authenticated.what": (
        "Non abbiamo potuto confermare che {sender} abbia davvero inviato {document}: l'e-mail "
        "non era autenticata. Per proteggerla da coordinate bancarie falsificate, una persona "
        "la controlla prima di chiederle il pagamento."
    ),
    "held.sender_not_authenticated.fix": (
        "Per ora non deve fare nulla. In futuro inoltri le fatture dalla sua casella, oppure "
        "chieda al mittente di autenticare le sue e-mail (SPF, DKIM, DMARC)."
    ),
    "payment_request_subject": "Richiesta di pagamento: {amount}",
    "payment_request_body": "La fattura inoltrata è pronta per essere pagata.",
    "payment_request_body_ref": "La fattura inoltrata ({reference}) è pronta per essere pagata.",
    "action_pay": "Paga in sicurezza",
    "invoice_sent_subject": "Fattura {invoice}: {amount}",
    "invoice_sent_body": "In allegato la sua fattura {invoice}.",
    "action_view": "Vedi e paga la fattura",
    "receipt_subject": "Ricevuta: {amount} pagato",
    "receipt_body": "Grazie: abbiamo ricevuto il suo pagamento di {amount}.",
    "action_receipt": "Vedi la fattura pagata",
    "reminder_before_subject": "Promemoria: {amount} in scadenza il {due}",
    "reminder_before_body": "Un promemoria: {amount} scade il {due}.",
    "reminder_due_subject": "In scadenza oggi: {amount}",
    "reminder_due_body": "{amount} scade oggi, {due}.",
    "reminder_after_subject": "Scaduto: {amount} era dovuto il {due}",
    "reminder_after_body": (
        "{amount} era dovuto il {due} e non è ancora stato pagato. La preghiamo di pagarlo al "
        "più presto."
    ),
    "reminder_ignore": "Se ha già pagato, ignori questo promemoria.",
}

TEXTS: dict[str, dict[str, str]] = {"en": EN, "de": DE, "fr": FR, "nl": NL, "es": ES, "it": IT}


def text(locale: str, key: str, **values: object) -> str:
    """One phrase in the locale (English when the locale or the key is missing)."""
    template = TEXTS.get(locale, EN).get(key) or EN[key]
    return template.format(**values)
