"""Function words of English, German, French, Spanish, Italian, Portuguese and Dutch.

Small hand-written lists (articles, pronouns, prepositions, conjunctions, auxiliary and
modal verbs, frequent adverbs), plus scikit-learn's English list and the greetings and
courtesy words of support chats ("hello", "bitte", "merci"), which say nothing about a
slice's topic. Used only to keep slice labels to content words.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_EN = """
a about above after again against all also am an and any are aren as at be because been before being
below between both but by can cannot could couldn did didn do does doesn doing don down during each few
for from further had hadn has hasn have haven having he her here hers herself him himself his how i if in
into is isn it its itself just let me more most my myself no nor not now of off on once only or other
ought our ours ourselves out over own same she should shouldn so some such than that the their theirs them
themselves then there these they this those through to too under until up very was wasn we were weren what
when where which while who whom why will with won would wouldn you your yours yourself yourselves ive im
dont cant wont didnt doesnt isnt thats its youre theyre still already yet get got getting one two
"""

_DE = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus
bei bin bis bist da damit dann das dass dein deine deinem deinen deiner dem den denn der des dessen dich
die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es
etwas euch euer eure für gegen gewesen hab habe haben hat hatte hätte hier hin hinter ich ihm ihn ihnen
ihr ihre ihrem ihren ihrer ihres im in ist ja jede jedem jeden jeder jedes jetzt kann kein keine keinem
keinen keiner man manche mein meine meinem meinen meiner meines mich mir mit muss musste nach nicht nichts
noch nun nur ob oder ohne sehr sein seine seinem seinen seiner sich sie sind so solche soll sollte sondern
über um und uns unser unsere unter vom von vor war waren warum was weil welche welchem welchen welcher
wenn wer werde werden wie wieder will wir wird wo wollen wurde würde zu zum zur zwar zwischen schon
bereits immer mal gibt geht kein keine leider möchte möchten können könnten könnt kannst
"""

_FR = """
au aux avec ce ces cette dans de des du elle elles en est et été être eu il ils je la le les leur leurs
lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sont sur
ta te tes toi ton tu un une vos votre vous ai as avons avez ont suis es sommes êtes était étais avait
avais aussi bien car comme déjà donc encore fait faire ici jamais peu plus quand rien sans si tout tous
toujours très trop cela ceci celui celle ceux celles alors depuis après avant chez entre vers voici voilà
mon ma mes ya pouvez peux pourriez pourrais voudrais veux
"""

_ES = """
al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante el ella ellas
ellos en entre era es esa esas ese eso esos esta estaba estado estamos están estar estas este esto estos
estoy fue ha había han has hasta hay la las le les lo los más me mi mis mucho muy nada ni no nos nosotros
o os otra otro para pero poco por porque que quien se sea ser si sin sobre son su sus también tan te
tengo tiene tienen todo todos tu tus un una uno unos usted ustedes ya yo aún todavía he hemos quiero podéis
puede pueden podría quisiera
"""

_IT = """
ad al alla alle allo agli anche avere ai che chi ci come con da dal dalla dalle degli dei del della delle
dello di dove e ed era essere gli ha hanno ho il in io la le lei li lo loro lui ma mi mia mie miei mio
ne nei nel nella nelle noi non nostro o per perché più quale quando quanto questa queste questi questo
se sei si sia siamo sono su sua sue suo suoi sul sulla tra tu tuo tua un una uno vi voi già ancora
sempre molto vorrei può potete
"""

_PT = """
ao aos as até com como da das de dela dele deles do dos e ela elas ele eles em entre era essa essas esse
esses esta estas este estes estou está estão eu foi for há isso isto já la lhe mais mas me meu meus minha
minhas muito na nas não nem no nos nossa nosso num numa né o os ou para pela pelas pelo pelos por porque
qual quando que quem se sem ser seu seus sua suas são também te tem tenho ter teu tua um uma uns você
vocês ainda agora aqui pra pode podem gostaria quero
"""

_NL = """
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er
ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon
kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat ons ook op over reeds
te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie wij wil worden
zal ze zelf zich zij zijn zo zonder zou kunt wilt
"""

# Greetings and courtesy words of support conversations, in the same seven languages.
_CHAT = """
hello hi hey please thanks thank regards dear cheers sorry ok okay yes
hallo guten tag bitte danke vielen dank grüße gruß freundlichen liebe lieber
bonjour bonsoir salut merci svp cordialement madame monsieur
hola buenos buenas días gracias saludos favor
ciao buongiorno grazie saluti cortesia
olá oi bom dia obrigado obrigada
hoi goedemorgen dank bedankt alstublieft groeten
"""

STOP_WORDS: frozenset[str] = frozenset(
    w for block in (_EN, _DE, _FR, _ES, _IT, _PT, _NL, _CHAT) for w in block.split()
) | frozenset(ENGLISH_STOP_WORDS)
"""Lower-case function words (and chat courtesy words) of the seven languages."""
