/** The one door to main: the typed contract (the renderer may import nothing else from main). */
export * from '../../main/contract';
